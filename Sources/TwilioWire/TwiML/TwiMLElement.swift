/// One TwiML element: a name, its attributes, an optional text and its child elements, in order.
///
/// It exists so that Parley answers Twilio's voice webhooks with exactly the bytes Twilio's own
/// Python library (twilio==9.13.0) writes for the same document, and can read such a document
/// back (`TwiMLReader`). `TwiML+Voice.swift` has typed builders for the verbs Parley uses; this
/// type is the generic tree underneath (any element name, any attribute).
///
/// The model has no mixed content: the text comes before the children, and there is no text
/// after a child (the library writes that only for strings nested between verbs, e.g. SSML
/// inside `<Say>`, which Parley does not use).
public struct TwiMLElement: Sendable, Equatable, Hashable {
    /// The element name, e.g. `Gather`.
    public var name: String
    /// Attribute name → value, names as written (lowerCamelCase, e.g. `speechTimeout`). The order
    /// does not matter: `xml()` writes them sorted.
    public var attributes: [String: String]
    /// The text before the children; nil (or empty) means none, as the library leaves out a
    /// falsy value.
    public var text: String?
    /// The child elements, in document order.
    public var children: [TwiMLElement]

    /// An empty `text` is stored as nil: the library writes no text for it (`if self.value:`).
    public init(_ name: String, attributes: [String: String] = [:], text: String? = nil, children: [TwiMLElement] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text?.isEmpty == true ? nil : text
        self.children = children
    }

    /// The XML declaration twilio-python puts first (`TwiML.to_xml()`).
    public static let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    /// The document as twilio-python 9.13.0 writes it with `to_xml()`, byte for byte
    /// (`twilio/twiml/__init__.py`, `TwiML.to_xml()` and `TwiML.xml()`, serialized by Python's
    /// `xml.etree.ElementTree.tostring(encoding="utf-8")`):
    ///
    /// - `declaration` first (the library adds it to any element's `to_xml()`, not only to
    ///   `<Response>`; pass `declaration: false` for `to_xml(xml_declaration=False)`), then one
    ///   line, no pretty-printing, no newline at the end;
    /// - attributes in ascending order of name by code point (`keys = sorted(keys)`);
    /// - an element without text or children as `<Name a="b" />` (a space before `/>`);
    /// - attribute values escape `&` `<` `>` `"` and tab, newline, carriage return as
    ///   `&amp;` `&lt;` `&gt;` `&quot;` `&#09;` `&#10;` `&#13;` (ElementTree's `_escape_attrib`);
    ///   `'` stays as is;
    /// - text escapes `&` `<` `>` only (ElementTree's `_escape_cdata`); quotes, tabs, newlines
    ///   and carriage returns stay as they are;
    /// - everything else as UTF-8, non-ASCII characters included (no character references).
    public func xml(declaration: Bool = true) -> String {
        var out = declaration ? Self.declaration : ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        out += "<" + name
        for key in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            out += " " + key + "=\""
            Self.escape(attributes[key]!, attribute: true, into: &out)
            out += "\""
        }
        let text = self.text ?? ""
        if text.isEmpty && children.isEmpty {
            out += " />"
            return
        }
        out += ">"
        Self.escape(text, attribute: false, into: &out)
        for child in children { child.write(to: &out) }
        out += "</" + name + ">"
    }

    private static func escape(_ value: String, attribute: Bool, into out: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\t" where attribute: out += "&#09;"
            case "\n" where attribute: out += "&#10;"
            case "\r" where attribute: out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}
