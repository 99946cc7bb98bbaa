import Foundation

/// The PostgreSQL cluster tests use: the one the test command started (`scripts/test` names it
/// in `PARLEY_TEST_POSTGRES_URL`), else one this process starts with `scripts/test-postgres` at
/// first use, which goes when the process does (`swift test` run by hand). Each test gets an
/// empty database of its own.
public enum TestPostgres {
    /// The URL of a new, empty database on the cluster.
    public static func database() async throws -> String {
        let cluster = try await Cluster.shared.url()
        let name = "parley_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await ProjectScripts.run("/usr/bin/env", ["psql", cluster, "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1",
                                                      "-c", "CREATE DATABASE \(name)"])
        guard var url = URLComponents(string: cluster) else { throw FixtureError("not a URL: \(cluster)") }
        url.path = "/\(name)"
        return url.string!
    }

    private actor Cluster {
        static let shared = Cluster()
        private var starting: Task<String, any Error>?

        func url() async throws -> String {
            if let starting { return try await starting.value }
            let task = Task<String, any Error> {
                if let url = ProcessInfo.processInfo.environment["PARLEY_TEST_POSTGRES_URL"], !url.isEmpty { return url }
                // In the temporary folder (open to the `postgres` user the cluster runs as when the
                // tests run as root); stopped and removed by the script once this process is gone.
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-postgres-\(UUID().uuidString)")
                let url = try await ProjectScripts.script("test-postgres", ["start", folder.path, "--owner", "\(getpid())"])
                return url.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            starting = task
            return try await task.value
        }
    }
}
