/// Meya's `*_sensitive` filters (`meya/sensitive_data/template.py`) on Parley's tokens
/// (`SensitiveValues`). A time to live (`ttl`) is accepted and not kept: a token opens as long
/// as the app's vault key does.
extension TemplateEvaluator {
    func sensitive(_ filter: TemplateFilter, _ input: TemplateEvalValue, _ a: TemplateFilterArguments) throws(TemplateRenderError) -> TemplateEvalValue {
        let value = try materialize(input)
        let token: String? = if case .string(let text) = value, SensitiveValues.ciphertext(of: text) != nil { text } else { nil }
        switch filter {
        case .encryptSensitive:
            if token != nil { return .value(value) }
            guard let codec = context.sensitive, let sealed = codec.seal(value) else {
                throw TemplateRenderError("encrypt_sensitive needs the app's vault key (`botcli vault keygen`)")
            }
            return .value(.string(sealed))
        case .decryptSensitive:
            guard let token else { throw TemplateRenderError("decrypt_sensitive: the value is not sensitive data") }
            // Where this context may not open it, the token stays: what is kept shows `[redacted]`.
            guard let open = context.sensitive?.open else { return .value(value) }
            guard let opened = open(token) else { throw TemplateRenderError("decrypt_sensitive: the value does not open with this app's vault key") }
            return .value(opened)
        case .tryDecryptSensitive:
            guard let token else { return .value(value) }
            guard let open = context.sensitive?.open else { return .value(value) }
            return open(token).map(TemplateEvalValue.value) ?? (a.a0 ?? .value(.string(SensitiveValues.redacted)))
        default:
            return token == nil ? .value(value) : (a.a0 ?? .value(.string(SensitiveValues.redacted)))
        }
    }
}
