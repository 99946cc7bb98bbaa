import Foundation
import Hummingbird
import TwilioWire

/// Flex Interactions routes: `POST /v1/Interactions` (200, the shape of
/// `fixtures/twilio/flex-interactions-create.response.json`), `GET /v1/Interactions/{KD}`,
/// `GET|POST /v1/Interactions/{KD}/Channels/{UO}`, `GET …/Participants` and
/// `POST …/Participants/{UT}` (`Status=closed|wrapup`: an agent leaving wraps the task up).
struct InteractionRoutes {
    let state: EmulatorState
    let configuration: TwilioEmulator.Configuration
    let fallbackOrigin: String

    func register(on router: Router<BasicRequestContext>) {
        let state = state, json = self
        router.twilio(.post, "/v1/Interactions") { request, _ throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let (interaction, task) = try await state.createInteraction(form)
            return RESTSupport.json(json.interaction(interaction, task: task, request: request))
        }
        router.twilio(.get, "/v1/Interactions/{interaction}") { request, context throws(TwilioRESTError) in
            let (interaction, _) = try await state.interaction(context.parameters.get("interaction") ?? "")
            return RESTSupport.json(json.interaction(interaction, task: await state.tasks[interaction.taskSid], request: request))
        }
        router.twilio(.get, "/v1/Interactions/{interaction}/Channels/{channel}") { request, context throws(TwilioRESTError) in
            let (interaction, _) = try await state.interaction(context.parameters.get("interaction") ?? "")
            guard interaction.channelSid == context.parameters.get("channel") else { throw TwilioRESTError.notFound(path: request.uri.path) }
            return RESTSupport.json(json.channel(interaction, request: request))
        }
        router.twilio(.post, "/v1/Interactions/{interaction}/Channels/{channel}") { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let interaction = try await state.updateInteractionChannel(interaction: context.parameters.get("interaction") ?? "",
                                                                       channel: context.parameters.get("channel") ?? "", form: form)
            return RESTSupport.json(json.channel(interaction, request: request))
        }
        router.twilio(.get, "/v1/Interactions/{interaction}/Channels/{channel}/Participants") { request, context throws(TwilioRESTError) in
            let (interaction, _) = try await state.interaction(context.parameters.get("interaction") ?? "")
            guard interaction.channelSid == context.parameters.get("channel") else { throw TwilioRESTError.notFound(path: request.uri.path) }
            let items = interaction.participants.map { json.participant($0, of: interaction, request: request) }
            return RESTSupport.json(RESTSupport.list(key: "participants", items: items, origin: RESTSupport.origin(of: request, fallback: json.fallbackOrigin),
                                                     path: request.uri.path))
        }
        router.twilio(.post, "/v1/Interactions/{interaction}/Channels/{channel}/Participants/{participant}") { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let (interaction, participant) = try await state.updateInteractionParticipant(
                interaction: context.parameters.get("interaction") ?? "", channel: context.parameters.get("channel") ?? "",
                participant: context.parameters.get("participant") ?? "", form: form)
            return RESTSupport.json(json.participant(participant, of: interaction, request: request))
        }
    }

    /// An interaction channel's participant (twilio-oai `…interaction_channel_participant`).
    func participant(_ participant: InteractionParticipant, of interaction: InteractionRecord, request: Request) -> EmulatorJSON {
        var routing: EmulatorJSON = nil
        if let worker = participant.workerSid {
            routing = ["task_sid": .string(interaction.taskSid), "worker_sid": .string(worker),
                       "reservation_sid": RESTSupport.optional(participant.reservationSid)]
        }
        return [
            "sid": .string(participant.sid), "type": .string(participant.type), "interaction_sid": .string(interaction.sid),
            "channel_sid": .string(interaction.channelSid),
            "url": .string(RESTSupport.origin(of: request, fallback: fallbackOrigin)
                + "/v1/Interactions/\(interaction.sid)/Channels/\(interaction.channelSid)/Participants/\(participant.sid)"),
            "routing_properties": routing,
        ]
    }

    /// The interaction as the OpenAPI example writes it: `routing.properties` is the task, its
    /// `attributes` a JSON string.
    func interaction(_ interaction: InteractionRecord, task: RouterTask?, request: Request) -> EmulatorJSON {
        let origin = RESTSupport.origin(of: request, fallback: fallbackOrigin)
        let url = "\(origin)/v1/Interactions/\(interaction.sid)"
        var properties: EmulatorJSON = nil
        if let task {
            let created = EmulatorJSON.int(Int(task.dateCreated.timeIntervalSince1970))
            properties = [
                "date_updated": .int(Int(task.dateUpdated.timeIntervalSince1970)), "task_queue_entered_date": created,
                "workflow_name": .string(TwilioEmulator.Defaults.workflowName), "age_in_queue": 0,
                "task_channel_unique_name": .string((try? EmulatorJSON(parsing: interaction.routing))?["properties"]?["task_channel_unique_name"]?
                    .stringValue ?? "default"),
                "assignment_status": .string(task.status.rawValue), "queue_name": .string(TwilioEmulator.Defaults.taskQueueName),
                "assignmentCounter": 0, "priority": .int(task.priority), "sid": .string(task.sid),
                "workflow_sid": .string(configuration.workflowSid), "routing_target": nil, "reason": .string(task.reason ?? ""),
                "attributes": .string(task.attributes), "task_channel_sid": .string(configuration.taskChannelSid), "age": 0,
                "workspace_sid": .string(configuration.workspaceSid), "account_sid": .string(configuration.accountSid),
                "timeout": .int(task.timeout), "date_created": created, "addons": "{}", "queue_sid": .string(configuration.taskQueueSid),
            ]
        }
        return [
            "sid": .string(interaction.sid),
            "channel": ["type": .string(interaction.channelType), "sid": .string(interaction.channelSid)],
            "routing": ["reservation": nil, "properties": properties],
            "interaction_context_sid": nil,
            "webhook_ttid": nil,
            "url": .string(url),
            "links": ["channels": .string(url + "/Channels")],
        ]
    }

    /// The interaction's channel (twilio-oai `flex.v1.interaction.interaction_channel`).
    func channel(_ interaction: InteractionRecord, request: Request) -> EmulatorJSON {
        let url = RESTSupport.origin(of: request, fallback: fallbackOrigin) + "/v1/Interactions/\(interaction.sid)/Channels/\(interaction.channelSid)"
        return [
            "sid": .string(interaction.channelSid), "interaction_sid": .string(interaction.sid), "type": .string(interaction.channelType),
            "status": .string(interaction.channelStatus), "error_code": nil, "error_message": nil, "url": .string(url),
            "links": ["participants": .string(url + "/Participants"), "invites": .string(url + "/Invites"),
                      "transfers": .string(url + "/Transfers")],
        ]
    }
}
