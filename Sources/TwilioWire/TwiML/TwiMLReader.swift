import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Why a TwiML document could not be read: what is wrong and, when the XML parser says, where
/// (1-based line and column).
public struct TwiMLReadError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(_ message: String, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        switch (line, column) {
        case let (line?, column?): "malformed TwiML at line \(line), column \(column): \(message)"
        case let (line?, nil): "malformed TwiML at line \(line): \(message)"
        default: "malformed TwiML: \(message)"
        }
    }
}

/// Reads a TwiML document back into a `TwiMLElement` tree (Foundation's `XMLParser`).
///
/// Contract: reading a document twilio-python wrote and writing the tree again with
/// `TwiMLElement.xml()` gives back the same bytes. The XML declaration is optional; comments
/// and processing instructions are skipped; CDATA is text. Within an element that has
/// children, whitespace-only text (indentation) is dropped, text before the first child is the
/// element's text, and other text after a child is refused (`TwiMLElement` has no mixed
/// content). Any root element name is accepted. XML itself turns a carriage return in text
/// into a newline, so text with `\r` does not survive a round trip (the library writes it raw).
public enum TwiMLReader {
    public static func read(_ xml: String) throws(TwiMLReadError) -> TwiMLElement {
        try read(Data(xml.utf8))
    }

    public static func read(_ bytes: [UInt8]) throws(TwiMLReadError) -> TwiMLElement {
        try read(Data(bytes))
    }

    public static func read(_ data: Data) throws(TwiMLReadError) -> TwiMLElement {
        let parser = XMLParser(data: data)
        let builder = TreeBuilder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let failure = builder.failure { throw failure }
        // swift-corelibs-foundation's parse() returns true for a document cut short (an open
        // tag at the end) but sets parserError.
        guard parsed, parser.parserError == nil else {
            throw TwiMLReadError(parser.parserError.map { Self.message(of: $0) } ?? "the XML parser failed",
                                 line: parser.lineNumber > 0 ? parser.lineNumber : nil,
                                 column: parser.columnNumber > 0 ? parser.columnNumber : nil)
        }
        guard let root = builder.root else { throw TwiMLReadError("the document has no root element") }
        return root
    }

    /// The parser's error code (libxml2's `xmlParserErrors`, which `XMLParser.ErrorCode` also
    /// uses) in words; Foundation on Linux gives no text of its own.
    fileprivate static func message(of error: any Error) -> String {
        let code = (error as NSError).code
        let text: String = switch code {
        case 3, 4: "no root element (start tag expected, '<' not found)"
        case 5: "the document ends inside an open element, or goes on after the root element"
        case 9: "a character XML does not allow"
        case 23: "an entity reference without its ';'"
        case 26: "an undeclared entity (XML knows only &amp; &lt; &gt; &quot; &apos; and &#...;)"
        case 38: "'<' in an attribute value"
        case 39: "an attribute value without quotes"
        case 41: "an attribute without a value"
        case 42: "an attribute given twice"
        case 68: "a name is missing"
        case 73: "a start tag is not finished ('>' expected)"
        case 74: "'</' expected"
        case 76: "the closing tag does not match the open element"
        case 77: "a tag is not finished before the end of the document"
        case 85: "the elements are not properly nested"
        case 86: "content after the root element"
        default: "XML syntax error"
        }
        return "\(text) (XML parser error \(code))"
    }
}

/// Builds the tree from `XMLParser`'s events; the first error (ours or the parser's) wins.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    private struct Open {
        var element: TwiMLElement
        var text = ""
    }

    private var stack: [Open] = []
    private(set) var root: TwiMLElement?
    private(set) var failure: TwiMLReadError?

    private func fail(_ parser: XMLParser, _ message: String) {
        guard failure == nil else { return }
        failure = TwiMLReadError(message, line: parser.lineNumber > 0 ? parser.lineNumber : nil,
                                 column: parser.columnNumber > 0 ? parser.columnNumber : nil)
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard failure == nil else { return }
        if stack.isEmpty && root != nil { return fail(parser, "a second root element <\(elementName)>") }
        stack.append(Open(element: TwiMLElement(elementName, attributes: attributes)))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil else { return }
        append(string, parser)
    }

    func parser(_ parser: XMLParser, foundIgnorableWhitespace whitespaceString: String) {
        guard failure == nil else { return }
        append(whitespaceString, parser)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard failure == nil else { return }
        append(String(decoding: CDATABlock, as: UTF8.self), parser)
    }

    /// Text goes to the open element: before its first child it is the element's text; after a
    /// child only whitespace is allowed (and dropped).
    private func append(_ string: String, _ parser: XMLParser) {
        guard let top = stack.indices.last else {
            if !Self.isWhitespace(string) { fail(parser, "text outside the root element") }
            return
        }
        if let previous = stack[top].element.children.last {
            if !Self.isWhitespace(string) {
                fail(parser, "text after <\(previous.name)> inside <\(stack[top].element.name)> (mixed content is not supported)")
            }
        } else {
            stack[top].text += string
        }
    }

    /// XML's whitespace: space, tab, line feed, carriage return (not every Unicode space).
    private static func isWhitespace(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard failure == nil, var open = stack.popLast() else { return }
        // Indentation before the first child is not text.
        let textIsLayout = !open.element.children.isEmpty && Self.isWhitespace(open.text)
        open.element.text = open.text.isEmpty || textIsLayout ? nil : open.text
        if stack.isEmpty {
            root = open.element
        } else {
            stack[stack.count - 1].element.children.append(open.element)
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard failure == nil else { return }
        failure = TwiMLReadError(TwiMLReader.message(of: parseError),
                                 line: parser.lineNumber > 0 ? parser.lineNumber : nil,
                                 column: parser.columnNumber > 0 ? parser.columnNumber : nil)
    }
}
