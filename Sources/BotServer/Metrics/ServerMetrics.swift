import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The server's metrics, through swift-metrics with swift-prometheus as the backend, scraped
/// at `GET /metrics`:
///
/// - `parley_turns_total{channel}`: turns handled, by channel (`rest`, `websocket`);
/// - `parley_turn_duration_seconds{channel}`: a histogram of how long turns took;
/// - `parley_webhook_requests_total{status}`: requests to `/webhooks/…` by status class
///   (`2xx`, `4xx`, `5xx`);
/// - `parley_websockets_open`: a gauge of the WebSocket connections open now.
///
/// Each instance records into its own registry, so servers in one process (tests) do not mix
/// their counts; `process` is the one `botcli serve` uses, whose registry is also the global
/// `MetricsSystem`'s, so metrics of libraries in the process appear in the same scrape.
public final class ServerMetrics: Sendable {
    static let turns = "parley_turns_total"
    static let turnDuration = "parley_turn_duration_seconds"
    static let webhookRequests = "parley_webhook_requests_total"
    static let websocketsOpen = "parley_websockets_open"

    /// Where the metrics are kept; `/metrics` emits it.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Made at once, so the gauge is scraped (as 0) before the first socket opens.
    private let openSockets: Meter
    /// Instruments by channel and by status class, made on first use (a series appears once
    /// it has something to count) and kept: a registry lookup per request costs more than
    /// the count itself.
    private let turnInstruments = Mutex<[String: TurnInstruments]>([:])
    private let requestCounters = Mutex<[Int: CoreMetrics.Counter]>([:])

    private struct TurnInstruments {
        var turns: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
    }

    /// Metrics in `registry` (a new one by default), without touching the global `MetricsSystem`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.turnDuration] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        openSockets = Meter(label: Self.websocketsOpen, factory: factory)
        openSockets.set(0)
    }

    /// The process's metrics. The first use bootstraps the global `MetricsSystem` with a
    /// Prometheus factory over the same registry — once per process, as swift-metrics requires.
    public static let process: ServerMetrics = {
        let metrics = ServerMetrics(registry: PrometheusMetricsFactory.defaultRegistry)
        MetricsSystem.bootstrap(metrics.factory)
        return metrics
    }()

    /// One turn handled on `channel`, and how long it took.
    public func recordTurn(channel: String, duration: Duration) {
        let instruments = turnInstruments.withLock { instruments in
            if let made = instruments[channel] { return made }
            let made = TurnInstruments(turns: Counter(label: Self.turns, dimensions: [("channel", channel)], factory: factory),
                                       duration: Timer(label: Self.turnDuration, dimensions: [("channel", channel)], factory: factory))
            instruments[channel] = made
            return made
        }
        instruments.turns.increment()
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        instruments.duration.recordNanoseconds(nanoseconds.overflow ? Int64.max : nanoseconds.partialValue + attoseconds / 1_000_000_000)
    }

    /// A WebSocket connection opened.
    public func webSocketOpened() {
        openSockets.increment()
    }

    /// A WebSocket connection closed.
    public func webSocketClosed() {
        openSockets.decrement()
    }

    /// One request to a webhook answered with `status`.
    public func recordWebhookRequest(status: Int) {
        let statusClass = status / 100
        let counter = requestCounters.withLock { counters in
            if let made = counters[statusClass] { return made }
            let made = Counter(label: Self.webhookRequests, dimensions: [("status", "\(statusClass)xx")], factory: factory)
            counters[statusClass] = made
            return made
        }
        counter.increment()
    }

    /// Every metric in Prometheus' text format.
    public func scrape() -> String {
        registry.emitToString()
    }
}
