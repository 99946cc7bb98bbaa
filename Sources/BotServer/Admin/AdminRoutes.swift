import BotRuntime
import FlowDSL
import Foundation
import Hummingbird
import Logging
import Vault

/// The admin API, under `/admin/`, every route behind `AdminAuthMiddleware`.
///
/// - `GET /admin/threads/{id}[?after=N&limit=M]`: a thread's state and its ledger events (see
///   `AdminThreadJSON`). The ledger holds vault values only as `[vault.KEY]` placeholders and
///   nothing here opens the vault, so no secret can leave through it.
/// - `PUT /admin/vault`: stores values sealed client-side with the app's public key (see
///   `AdminVaultUpload`) in the vault the engine reads, in one transaction; plaintext never
///   crosses the wire. The engine then reads the vault again, so the new values are used at
///   once (`"reloaded": true`; on a shared store the other replicas read it too).
struct AdminRoutes {
    let configuration: AdminConfiguration
    let state: ServingState
    let body: RequestBodyReader

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("/admin").add(middleware: AdminAuthMiddleware(token: configuration.token))
        group.get("/threads/:id") { request, context in
            await thread(request, context: context)
        }
        group.put("/vault") { request, context in
            await vault(request, logger: context.logger)
        }
    }

    // MARK: Threads

    func thread(_ request: Request, context: BasicRequestContext) async -> Response {
        guard let engine = state.engine else {
            return JSONResponse.error("the bot is not ready yet; retry shortly", status: .serviceUnavailable)
        }
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, !id.isEmpty else {
            return JSONResponse.error("the path needs a thread id: /admin/threads/{id}", status: .badRequest)
        }
        let after: Int, limit: Int
        switch (Self.integer(request, "after", default: 0, in: 0...Int.max),
                Self.integer(request, "limit", default: AdminThreadJSON.maximumLimit, in: 1...AdminThreadJSON.maximumLimit)) {
        case (.failure(let problem), _), (_, .failure(let problem)):
            return problem.response
        case (.success(let a), .success(let l)):
            (after, limit) = (a, l)
        }
        do {
            guard let thread = try await engine.thread(id) else {
                return JSONResponse.error("no thread `\(id)`", status: .notFound)
            }
            let events = try await engine.events(thread: id, after: after, limit: limit)
            return JSONResponse.make(AdminThreadJSON.json(of: thread, events: events))
        } catch {
            context.logger.error("admin thread read failed", metadata: ["thread": "\(id)", "error": "\(error)"])
            return JSONResponse.error("the thread could not be read; the server log has the details", status: .internalServerError)
        }
    }

    private static func integer(_ request: Request, _ name: String, default value: Int,
                                in range: ClosedRange<Int>) -> Result<Int, ResponseProblem> {
        guard let text = request.uri.queryParameters[name[...]] else { return .success(value) }
        guard let number = Int(text), range.contains(number) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound)…\(range.upperBound)"
            return .failure(ResponseProblem(status: .badRequest, message: "`\(name)` must be a whole number, \(bound)"))
        }
        return .success(number)
    }

    // MARK: Vault

    func vault(_ request: Request, logger: Logger) async -> Response {
        guard let engine = state.engine else {
            return JSONResponse.error("the bot is not ready yet; retry shortly", status: .serviceUnavailable)
        }
        guard let vault = engine.vaultSource?.vault else {
            return JSONResponse.error("this server has no vault store to write to", status: .serviceUnavailable)
        }
        let upload: AdminVaultUpload
        switch await body.object(of: request) {
        case .failure(let problem):
            return problem.response
        case .success(let object):
            do {
                upload = try AdminVaultUpload(json: object)
            } catch {
                return error.response
            }
        }
        // What the bot could not open is refused before anything is stored.
        if let failures = vault.unopenable(upload.values.map { ($0.key, $0.ciphertext) }), let first = failures.first {
            logger.notice("admin vault upload refused", metadata: ["keys": "\(failures.map(\.key).joined(separator: ", "))"])
            return JSONResponse.error("vault key `\(first.key)` does not open with this app's vault key (was it sealed with "
                                      + "another app's public key?); nothing was stored", status: .badRequest)
        }
        do {
            guard let store = try vault.store(creating: true) else {
                return JSONResponse.error("the vault store could not be opened", status: .internalServerError)
            }
            let report = try await upload.store(in: store, at: Date())
            // Key names only, as everywhere in the vault.
            logger.notice("vault updated over the admin API", metadata: ["added": "\(report.added.joined(separator: ", "))",
                                                                          "changed": "\(report.changed.joined(separator: ", "))"])
            return JSONResponse.make(.map(["added": .list(report.added.map { .string($0) }),
                                           "changed": .list(report.changed.map { .string($0) }),
                                           "reloaded": .bool(await engine.reloadVault())]))
        } catch .versionConflict(let key) {
            return JSONResponse.error("vault key `\(key)` is not at the expected version (it was changed or added meanwhile); "
                                      + "nothing was stored", status: .conflict)
        } catch {
            logger.error("admin vault write failed", metadata: ["error": "\(error)"])
            return JSONResponse.error("the vault could not be written; nothing was stored; the server log has the details",
                                      status: .internalServerError)
        }
    }
}
