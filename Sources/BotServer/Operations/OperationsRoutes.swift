import FlowDSL
import Hummingbird

/// Probes for process supervisors and load balancers.
///
/// - `GET /healthz`: 200 as soon as the server listens (the process is alive).
/// - `GET /readyz`: 200 once the app is loaded and its store opened and answering (a shared
///   database is asked each time), else 503 with `{"status": "starting"}` or
///   `{"status": "store unavailable", "store": WHY}`: send traffic only when it says ready.
struct OperationsRoutes {
    let state: ServingState

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in JSONResponse.make(.map(["status": .string("ok")])) }
        router.get("/readyz") { _, _ in
            guard let engine = state.engine else {
                return JSONResponse.make(.map(["status": .string("starting")]), status: .serviceUnavailable)
            }
            do {
                try await engine.store.probe()
            } catch {
                return JSONResponse.make(.map(["status": .string("store unavailable"), "store": .string("\(error)")]),
                                         status: .serviceUnavailable)
            }
            return JSONResponse.make(.map(["status": .string("ready")]))
        }
    }
}
