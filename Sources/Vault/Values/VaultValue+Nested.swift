extension VaultValue {
    /// The nested map a template sees as `vault`, built from flat dotted keys the way Meya does.
    ///
    /// Keys are processed in sorted order and split on `.`; each part but the last walks into a
    /// map, replacing anything that is not a map (so a scalar stored at a prefix, `twilio: x`,
    /// is overwritten by the deeper `twilio.account_sid`). `["twilio.account_sid": "AC…"]`
    /// gives `["twilio": ["account_sid": "AC…"]]`.
    public static func nested(_ flat: [String: VaultValue]) -> VaultValue {
        var root: [String: VaultValue] = [:]
        for key in flat.keys.sorted() {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            insert(flat[key]!, at: parts[...], into: &root)
        }
        return .map(root)
    }

    private static func insert(_ value: VaultValue, at path: ArraySlice<String>, into map: inout [String: VaultValue]) {
        guard let head = path.first else { return }
        let rest = path.dropFirst()
        if rest.isEmpty {
            map[head] = value
            return
        }
        var child: [String: VaultValue]
        if case .map(let existing)? = map[head] { child = existing } else { child = [:] }
        map[head] = nil  // let `child` be uniquely referenced while it is changed
        insert(value, at: rest, into: &child)
        map[head] = .map(child)
    }
}
