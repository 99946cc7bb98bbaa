/// Flows that more than one test target puts into its test apps.
public enum TestFlows {
    /// WhatsApp refused a free-form message outside its 24-hour window (63016): the flow sends a
    /// Content template instead, with the error code as its variable.
    public static let deliveryFailedTemplate = """
        triggers:
          - event_type: parley.twilio.conversations.event.delivery_failed
        steps:
          - say: We have an update on your request.
            content_sid: HXb5b62575e6e4ff6129ad7c8efe1f983e
            content_variables:
              "1": "(@ flow.event.data.error_code )"
        """
}
