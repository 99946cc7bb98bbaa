import Foundation

/// Generates valid bot apps of any size, for benchmarks and tests that need realistic input.
///
/// Each flow has a keyword and a regex trigger and about a dozen steps that use most step
/// kinds: say with templates, ask, buttons with actions, if/then/else, labels and jumps, a call
/// to the next flow with data, scope writes.
public enum SyntheticApp {
    /// The app's files: `flows` flow files, a config and a bot element.
    public static func sources(flows count: Int) -> [AppSource] {
        var sources = [
            AppSource(path: "bot/default.yaml", text: "type: meya.bot.element\nname: Bench Bot\n"),
            AppSource(path: "config.yaml", text: "support:\n  hours: 9-17\n"),
        ]
        for index in 0..<count {
            let next = (index + 1) % count
            sources.append(AppSource(path: "flow/group\(index % 10)/flow\(index).yaml", text: """
                triggers:
                  - keyword: start \(index)
                  - regex: ^order\\s+(?P<order>\\d+)\\s+\(index)$
                    action:
                      jump: lookup
                steps:
                  - say: Hello (@ user.name | default('there') ), this is flow \(index).
                  - ask: What is your name?
                  - user_set: name
                  - if: (@ user.name | length > 3 )
                    then:
                      say: That is a long name, (@ user.name | title ).
                    else:
                      jump: short
                  - (short)
                  - ask: Pick one
                    buttons:
                      - text: Yes
                        result: yes
                      - text: No
                        action:
                          jump: done
                  - (lookup)
                  - flow_set:
                      order: (@ flow.groups.order | default('none') )
                  - flow: flow.group\(next % 10).flow\(next)
                    data:
                      caller: \(index)
                  - thread_set: last_flow
                  - (done)
                  - say: (% if config.support.hours %)Open (@ config.support.hours )(% else %)Closed(% endif %)
                  - end

                """))
        }
        return sources
    }

    /// Writes the app into `directory` (created if needed).
    public static func write(flows count: Int, to directory: URL) throws {
        for source in sources(flows: count) {
            let url = directory.appendingPathComponent(source.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(source.text.utf8).write(to: url)
        }
    }
}
