import ArgumentParser

/// `botcli flex`: tools for the Twilio Flex human handoff.
struct FlexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flex",
        abstract: "Tools for handing chats to human agents in Twilio Flex.",
        discussion: """
            `botcli flex emulator` runs a local stand-in for Twilio Flex (Flex, Programmable \
            Chat and TaskRouter) with an agent console, so the whole handoff can be tried \
            without a Twilio account.
            """,
        subcommands: [FlexEmulatorCommand.self]
    )
}
