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
        let (attempt, _) = await exchange(form, url: url, method: "POST", target: delivery.target, idempotencyToken: delivery.idempotencyToken)
        switch attempt.statusCode {
        case (200..<300)?: return (.delivered, attempt)
        case 429?, (500..<600)?, nil: return (.retry, attempt)
        default: return (.refused, attempt)
        }
    }

    /// One signed webhook request, as Twilio makes it: the form in the body of a `POST`, or in
    /// the query of a `GET` (signed over the whole URL, with no parameters); answers the attempt
    /// and the answer's body (at most 1 MiB; nil when there was no answer).
    func exchange(_ form: TwilioForm, url: String, method: String, target: WebhookDelivery.Target,
                  idempotencyToken: String) async -> (attempt: WebhookDelivery.Attempt, body: [UInt8]?) {
        let at = TwilioTime.webhook(Date())
        let get = method == "GET"
        let address = get ? url + (url.contains("?") ? "&" : "?") + form.encoded : url
        var request = HTTPClientRequest(url: address)
        request.method = get ? .GET : .POST
        request.headers.add(name: "User-Agent", value: "TwilioProxy/1.1")
        request.headers.add(name: "Accept", value: "*/*")
        request.headers.add(name: "I-Twilio-Idempotency-Token", value: idempotencyToken)
        request.headers.add(name: "X-Twilio-Signature",
                            value: TwilioSignature.compute(url: address, parameters: get ? TwilioForm() : form, authToken: authToken))
        if !get {
            let charset = target == .taskrouter || target == .voice ? "" : "; charset=utf-8"
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded" + charset)
            request.body = .bytes(ByteBuffer(string: form.encoded))
        }
        do {
            let seconds = retry.timeout.components.seconds, attoseconds = retry.timeout.components.attoseconds
            let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
            let response = try await client.execute(request, timeout: .milliseconds(milliseconds))
            // Read whole, also when it is dropped, so the connection can be reused.
            let body = try? await response.body.collect(upTo: 1 << 20)
            return (WebhookDelivery.Attempt(at: at, statusCode: Int(response.status.code), error: nil), body.map { Array($0.readableBytesView) })
        } catch {
            return (WebhookDelivery.Attempt(at: at, statusCode: nil, error: "\(error)"), nil)
        }
    }
}
