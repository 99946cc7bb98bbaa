import BotRuntime
import Foundation
import Hummingbird

/// How REST and WebSocket clients say which user they are (`botcli serve --rest-auth`).
public enum ClientAuthentication: Sendable {
    /// Rasa's model: the `sender` (REST) or `user` (WebSocket) a client names is trusted as it
    /// is. Only where every client is trusted (a backend behind your own gateway, a demo on
    /// loopback): anyone who can name a user can speak as them.
    case open
    /// Users prove who they are with a token the server issued (`POST /webchat/identity`);
    /// a server-to-server client with the shared secret (`Authorization: Bearer SECRET`) may
    /// name any `sender`, as in `open`. Nothing else is accepted (401).
    case token(sharedSecret: BearerSecret?)
}

/// Who a REST or WebSocket request speaks for, decided once per request from the server's
/// `ClientAuthentication`, so both channels follow one rule.
enum ClientIdentity: Equatable {
    /// The client may name any user (open mode, or a server-to-server client with the secret).
    case trusted
    /// The client is this user: the one its token was issued to.
    case user(String)

    /// The identity a request proves with `credential` (a bearer token or the `token` query
    /// parameter), or the refusal: 401 when it proves nothing.
    static func of(credential: String?, authentication: ClientAuthentication, key: WebIdentityKey) -> Result<ClientIdentity, ResponseProblem> {
        guard case .token(let secret) = authentication else { return .success(.trusted) }
        guard let credential, !credential.isEmpty else {
            return .failure(ResponseProblem(status: .unauthorized, message: "this server needs a user token: POST /webchat/identity "
                + "issues one (send it as `Authorization: Bearer TOKEN`, or `token=` on /ws), or the server's shared secret"))
        }
        if let secret, secret.matches(credential.utf8) { return .success(.trusted) }
        guard let user = key.user(of: credential) else {
            return .failure(ResponseProblem(status: .unauthorized, message: "the token is not one this server issued"))
        }
        return .success(.user(user))
    }

    /// The user a request speaks as: `named` (a `sender`, a `user`) when the client may name
    /// one, else the token's user, which `named` must then be if given (403 otherwise).
    func user(named: String?) -> Result<String, ResponseProblem> {
        switch self {
        case .trusted:
            guard let named else { return .failure(ResponseProblem(status: .badRequest, message: "missing field `sender`")) }
            return .success(named)
        case .user(let user):
            if let named, named != user {
                return .failure(ResponseProblem(status: .forbidden, message: "`\(named)` is not the user this token was issued to"))
            }
            return .success(user)
        }
    }
}

/// `POST /webchat/identity`: a new web chat identity, `{"user": ID, "token": TOKEN}`, for a
/// client to keep (the chat page keeps it in localStorage) and send with every request.
struct IdentityRoutes {
    static let path = "/webchat/identity"
    let key: WebIdentityKey

    func register(on router: Router<BasicRequestContext>) {
        router.post(RouterPath(Self.path)) { _, _ in
            let (user, token) = key.issue()
            return JSONResponse.make(.map(["user": .string(user), "token": .string(token)]))
        }
    }
}
