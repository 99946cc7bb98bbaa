import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import TwilioWire

/// Sends queued webhooks the way Twilio does: form-encoded POST, signed with the account's auth
/// token over the exact URL, `TwilioProxy/1.1` headers, retried with backoff on connection
/// errors, timeouts, 429 and 5xx, keeping the idempotency token across retries.
struct WebhookDeliverer: Sendable {
    let state: EmulatorState
    let client: HTTPClient
    let authToken: String
    let retry: TwilioEmulator.RetryPolicy
    let logger: Logger

    /// Sends a channel's pending deliveries one after the other until none is left.
    func drain(channelSid: String) async {
        while let delivery = await state.nextPendingDelivery(channelSid: channelSid) {
            await deliver(delivery)
            if Task.isCancelled { return }
        }
    }

    private func deliver(_ delivery: WebhookDelivery) async {
        guard let url = delivery.url else { return }
        var delay = retry.initialDelay
        for attemptNumber in 0..<retry.maxAttempts {
            var form = TwilioForm(delivery.fields)
            if delivery.target != .taskrouter, let index = form.fields.firstIndex(where: { $0.name == "RetryCount" }) {
                form.fields[index].value = String(attemptNumber)
            }
            let outcome = await post(form, to: url, delivery: delivery)
            // Stopping interrupts an attempt; it is left pending, not counted as a failure.
            if Task.isCancelled { return }
            let last = attemptNumber == retry.maxAttempts - 1
            let status: WebhookDelivery.Status
            switch outcome.verdict {
            case .delivered: status = .delivered
            case .refused: status = .failed
            case .retry: status = last ? .failed : .pending
            }
            await state.record(deliveryID: delivery.id, attempt: outcome.attempt, fields: form.fields, status: status)
            var metadata: Logger.Metadata = ["event": "\(delivery.eventType)", "delivery": "\(delivery.id)",
                                             "attempt": "\(attemptNumber + 1)", "url": "\(url)"]
            if let code = outcome.attempt.statusCode { metadata["status"] = "\(code)" }
            if let error = outcome.attempt.error { metadata["error"] = "\(error)" }
            switch status {
            case .delivered: logger.info("webhook delivered", metadata: metadata)
            case .failed: logger.warning("webhook failed", metadata: metadata)
            default: logger.notice("webhook attempt failed; retrying", metadata: metadata)
            }
            guard status == .pending else { return }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
            delay *= 2
        }
    }

    /// Asks a pre-event webhook, once, before the action it is about: `delivered` lets the
    /// action go on, `failed` (an answer other than 2xx) blocks it. With no answer at all the
    /// action goes on (Twilio's behaviour on a pre-event timeout is not documented).
    func ask(_ delivery: WebhookDelivery) async -> WebhookDelivery {
        guard let url = delivery.url else { return delivery }
        let outcome = await post(TwilioForm(delivery.fields), to: url, delivery: delivery)
        var asked = delivery
        asked.attempts.append(outcome.attempt)
        asked.status = outcome.attempt.statusCode.map { (200..<300).contains($0) } ?? true ? .delivered : .failed
        let metadata: Logger.Metadata = ["event": "\(delivery.eventType)", "url": "\(url)",
                                         "status": "\(outcome.attempt.statusCode.map(String.init) ?? outcome.attempt.error ?? "")"]
        logger.info(asked.status == .failed ? "pre-event webhook blocked the action" : "pre-event webhook let the action go on",
                    metadata: metadata)
        return asked
    }

    private enum Verdict { case delivered, refused, retry }

    private func post(_ form: TwilioForm, to url: String, delivery: WebhookDelivery) async -> (verdict: Verdict, attempt: WebhookDelivery.Attempt) {
        let at = TwilioTime.webhook(Date())
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        let contentType = delivery.target == .taskrouter ? "application/x-www-form-urlencoded" : "application/x-www-form-urlencoded; charset=utf-8"
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "User-Agent", value: "TwilioProxy/1.1")
        request.headers.add(name: "Accept", value: "*/*")
        request.headers.add(name: "I-Twilio-Idempotency-Token", value: delivery.idempotencyToken)
        request.headers.add(name: "X-Twilio-Signature", value: TwilioSignature.compute(url: url, parameters: form, authToken: authToken))
        request.body = .bytes(ByteBuffer(string: form.encoded))
        do {
            let seconds = retry.timeout.components.seconds, attoseconds = retry.timeout.components.attoseconds
            let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
            let response = try await client.execute(request, timeout: .milliseconds(milliseconds))
            // The answer's body is read and dropped so the connection can be reused.
            _ = try? await response.body.collect(upTo: 1 << 20)
            let code = Int(response.status.code)
            let attempt = WebhookDelivery.Attempt(at: at, statusCode: code, error: nil)
            switch code {
            case 200..<300: return (.delivered, attempt)
            case 429, 500..<600: return (.retry, attempt)
            default: return (.refused, attempt)
            }
        } catch {
            return (.retry, WebhookDelivery.Attempt(at: at, statusCode: nil, error: "\(error)"))
        }
    }
}
