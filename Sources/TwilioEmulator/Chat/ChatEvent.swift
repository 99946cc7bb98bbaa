import Foundation
import TwilioWire

/// The form of one Programmable Chat post-event webhook, with the field set and order of
/// `fixtures/twilio/chat-*.http` (spec §b.3).
enum ChatEvent {
    /// `onMessageSent`, or `onMediaMessageSent` for a message with media (no `Body` then).
    static func messageSent(_ message: ChatMessage, channel: ChatChannel, source: String, clientIdentity: String,
                            configuration: TwilioEmulator.Configuration) -> TwilioForm {
        var form = TwilioForm()
        form.append("EventType", message.mediaSid == nil ? "onMessageSent" : "onMediaMessageSent")
        form.append("InstanceSid", configuration.chatServiceSid)
        form.append("Attributes", message.attributes)
        form.append("DateCreated", TwilioTime.webhook(message.dateCreated))
        form.append("Index", String(message.index))
        form.append("From", message.from)
        form.append("MessageSid", message.sid)
        form.append("AccountSid", configuration.accountSid)
        form.append("Source", source)
        form.append("ChannelSid", channel.sid)
        form.append("ClientIdentity", clientIdentity)
        form.append("RetryCount", "0")
        if let mediaSid = message.mediaSid {
            // Media upload is not emulated: the file is described by its SID only.
            form.append("MediaSid", mediaSid)
            form.append("MediaContentType", "application/octet-stream")
            form.append("MediaFilename", mediaSid)
            form.append("MediaSize", "0")
        } else {
            form.append("Body", message.body)
        }
        return form
    }

    /// `onChannelUpdated`.
    static func channelUpdated(_ channel: ChatChannel, source: String, clientIdentity: String,
                               configuration: TwilioEmulator.Configuration) -> TwilioForm {
        var form = TwilioForm()
        form.append("EventType", "onChannelUpdated")
        form.append("InstanceSid", configuration.chatServiceSid)
        form.append("Attributes", channel.attributes)
        form.append("DateCreated", TwilioTime.webhook(channel.dateCreated))
        form.append("DateUpdated", TwilioTime.webhook(channel.dateUpdated))
        form.append("AccountSid", configuration.accountSid)
        form.append("Source", source)
        form.append("ChannelSid", channel.sid)
        form.append("ClientIdentity", clientIdentity)
        form.append("RetryCount", "0")
        form.append("ChannelType", channel.type)
        form.append("UniqueName", channel.uniqueName ?? "")
        form.append("FriendlyName", channel.friendlyName)
        form.append("CreatedBy", channel.createdBy)
        return form
    }
}
