import Foundation
import TwilioWire

/// Makes the requests a call needs from the bot, one after the other, each signed as Twilio
/// signs them (`WebhookDeliverer.exchange`), and hands each answer to the call
/// (`EmulatorState.answered`), which plays it and may need the bot again (a `<Gather>` heard
/// something, a `<Redirect>`, a virtual agent's end). Twilio does not retry voice webhooks: an
/// answer that fails ends the call with an application error.
struct CallPlayer: Sendable {
    let state: EmulatorState

    /// How many requests one thing the caller did may chain (redirects included) before the
    /// call is ended as a loop.
    static let maxChainedRequests = 20

    /// Makes `first` and what its answers lead to.
    func run(_ sid: String, _ first: EmulatorState.VoiceFetch?) async {
        var next = first, count = 0
        while let fetch = next, let deliverer = await state.deliverer {
            count += 1
            guard count <= Self.maxChainedRequests else {
                await state.endLoopingCall(sid, limit: Self.maxChainedRequests)
                return
            }
            // Twilio posts a virtual agent's turns before the session's end.
            if fetch.afterQueuedWebhooks { await state.waitUntilSent(channelSid: sid) }
            guard let form = await state.voiceForm(sid, extra: fetch.fields) else { return }
            let token = UUID().uuidString.lowercased()
            let (attempt, body) = await deliverer.exchange(form, url: fetch.url, method: fetch.method, target: .voice, idempotencyToken: token)
            next = await state.answered(sid, fetch: fetch, form: form, token: token, attempt: attempt, body: body)
        }
    }
}
