import Foundation
import TwilioWire

/// The customers' phones. A customer texts a configured address (`POST
/// /emulator/api/phone/messages`); the address's configuration routes it into Conversations as
/// Twilio does: into the customer's open conversation on that address, or a new one it creates
/// (auto-creation: the conversation, the customer as a messaging-binding participant, and for
/// `AutoCreation.Type=webhook` a conversation-scoped webhook with the configured URL and
/// filters), then `onMessageAdded` with `Source` `SMS` / `WHATSAPP`.
///
/// Every message added to such a conversation by anyone else (the bot over REST, an agent in
/// the console) reaches the customer's phone, except where Twilio's channel would refuse it: a
/// free-form WhatsApp message more than 24 hours (on the emulator's clock) after the customer's
/// last message is `undelivered` with error 63016, announced as `onDeliveryUpdated`; a Content
/// template (`ContentSid`) is delivered. Only failures are announced (Twilio also reports
/// `sent`, `delivered` and `read`).
extension EmulatorState {
    /// How long WhatsApp lets a business answer freely after the customer's last message.
    static let whatsAppWindow: TimeInterval = 24 * 60 * 60

    /// A customer's message to `to`, as the carrier hands it to Twilio.
    func phoneInbound(from: String, to: String, body: String, mediaSid: String?) throws(AgentAPIError) -> PhoneMessage {
        guard let address = addressConfigurations.first(where: { $0.address == to }) else {
            let known = addressConfigurations.map(\.address)
            throw .notFound("no Address Configuration for `\(to)` (POST /v1/Configuration/Addresses makes one)"
                + (known.isEmpty ? "" : "; configured: \(known.joined(separator: ", "))"))
        }
        guard !from.isEmpty else { throw .badRequest("send {\"from\": CUSTOMER, \"to\": ADDRESS, \"body\": TEXT}") }
        guard !body.isEmpty || mediaSid != nil else { throw .badRequest("the message has no body") }
        if let mediaSid, !TwilioSID.isValid(mediaSid, prefix: "ME") { throw .badRequest("`\(mediaSid)` is not a Media SID (ME…)") }
        let customer = address.type == "whatsapp" && !from.hasPrefix("whatsapp:") ? "whatsapp:" + from : from
        var channel: ChatChannel
        if let open = openConversation(of: customer, on: address) {
            channel = open
        } else {
            channel = try autoCreateConversation(for: customer, on: address)
        }
        channel.conversation?.lastCustomerMessage = now
        if channel.conversation?.state == "inactive" { channel.conversation?.state = "active" }
        let message = appendConversationMessage(to: &channel, author: customer, body: body, attributes: "{}", mediaSid: mediaSid)
        announceMessage(message, in: channel, source: AddressConfiguration.source(ofType: address.type), clientIdentity: nil)
        let phone = PhoneMessage(direction: "inbound", customer: customer, business: address.address, channel: address.type, body: body,
                                 mediaSid: mediaSid, author: customer, status: "received", conversationSid: channel.sid,
                                 messageSid: message.sid, dateCreated: TwilioTime.rest(now))
        phoneMessages.append(phone)
        changed()
        return phone
    }

    /// The messages to and from `customer` (every phone when nil), oldest first.
    func phone(_ customer: String?) -> [PhoneMessage] {
        guard let customer else { return phoneMessages }
        return phoneMessages.filter { $0.customer == customer || $0.customer == "whatsapp:" + customer }
    }

    /// Moves the emulator's clock on (never back): what the WhatsApp window is measured with.
    func advanceClock(by seconds: TimeInterval) throws(AgentAPIError) -> Date {
        guard seconds.isFinite, seconds >= 0 else { throw .badRequest("the clock only moves forward: give `advance_seconds` ≥ 0") }
        clockOffset += seconds
        changed()
        return now
    }

    /// Delivers a conversation message to each of its messaging-binding participants but its
    /// author, recording what their phone shows.
    func deliverToPhones(_ message: ChatMessage, in channel: ChatChannel) {
        guard let details = channel.conversation else { return }
        for participant in details.participants {
            guard let customer = participant.bindingAddress, customer != message.from else { continue }
            let type = addresses.values.first { $0.address == participant.bindingProxyAddress }?.type
                ?? (customer.hasPrefix("whatsapp:") ? "whatsapp" : "sms")
            let outsideWindow = type == "whatsapp" && message.contentSid == nil
                && now.timeIntervalSince(details.lastCustomerMessage ?? .distantPast) > Self.whatsAppWindow
            let errorCode = outsideWindow ? 63016 : nil
            phoneMessages.append(PhoneMessage(
                direction: "outbound", customer: customer, business: participant.bindingProxyAddress ?? "", channel: type, body: message.body,
                contentSid: message.contentSid, contentVariables: message.contentVariables, mediaSid: message.mediaSid, author: message.from,
                status: outsideWindow ? "undelivered" : "delivered", errorCode: errorCode, conversationSid: channel.sid,
                messageSid: message.sid, dateCreated: TwilioTime.rest(now)))
            if outsideWindow {
                announceConversation("onDeliveryUpdated", channel) { _ in
                    ConversationEvent.deliveryUpdated(message, channel: channel, participantSid: participant.sid, status: "undelivered",
                                                      errorCode: errorCode, at: now, configuration: configuration)
                }
            }
        }
    }

    /// The customer's conversation on `address` that is not closed, if any.
    private func openConversation(of customer: String, on address: AddressConfiguration) -> ChatChannel? {
        conversations.last { channel in
            channel.conversation?.state != "closed" && channel.conversation?.participants.contains {
                $0.bindingAddress == customer && $0.bindingProxyAddress == address.address
            } == true
        }
    }

    /// What `AutoCreation` makes for a customer's first message, through the same steps as the
    /// REST calls: the conversation, the customer, the scoped webhook.
    private func autoCreateConversation(for customer: String, on address: AddressConfiguration) throws(AgentAPIError) -> ChatChannel {
        let auto = address.autoCreation
        guard auto.enabled else {
            throw .conflict("auto-creation is off for \(address.address): Twilio would not put the message in a conversation")
        }
        guard auto.type != "studio" else { throw .conflict("\(address.address) auto-creates with a Studio flow, which the emulator does not run") }
        do {
            let service = auto.conversationServiceSid == configuration.chatServiceSid ? nil : auto.conversationServiceSid
            var channel = try createConversation(TwilioForm(), service: service)
            channel.conversation?.messagingServiceSid = configuration.messagingServiceSid
            channels[channel.sid] = channel
            _ = try addParticipant(channel.sid, form: ["MessagingBinding.Address": customer, "MessagingBinding.ProxyAddress": address.address],
                                   service: nil)
            if auto.type == "webhook", let url = auto.webhookURL {
                var form: TwilioForm = ["Target": "webhook", "Configuration.Url": url, "Configuration.Method": "POST"]
                for filter in auto.webhookFilters { form.append("Configuration.Filters", filter) }
                _ = try addScopedWebhook(channel.sid, form: form, service: nil)
            }
            return try conversation(channel.sid, service: nil)
        } catch {
            throw .conflict("the conversation could not be made: \(error.message)")
        }
    }
}
