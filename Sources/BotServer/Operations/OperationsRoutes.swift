import FlowDSL
import Hummingbird

/// Probes for process supervisors and load balancers.
///
/// - `GET /healthz`: 200 as soon as the server listens (the process is alive).
/// - `GET /readyz`: 200 once the app is loaded and its store opened, else 503: send traffic
///   only when it says ready.
struct OperationsRoutes {
    let state: ServingState

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in JSONResponse.make(.map(["status": .string("ok")])) }
        router.get("/readyz") { _, _ in
            state.isReady
                ? JSONResponse.make(.map(["status": .string("ready")]))
                : JSONResponse.make(.map(["status": .string("starting")]), status: .serviceUnavailable)
        }
    }
}
