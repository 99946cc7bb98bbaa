import BotRuntime
import Logging
import Synchronization

/// Hands a freshly read vault to the running engine after `PUT /admin/vault` stored new values,
/// so the bot uses them without a restart.
///
/// Reloads run one at a time and each reads the store only once it holds the lock: whatever
/// order two uploads finish in, the last reload sees both, and the engine never ends up with
/// an older vault than the store holds.
final class VaultReloader: Sendable {
    private let load: @Sendable () throws -> VaultScope
    private let lock = Mutex(())

    init(load: @escaping @Sendable () throws -> VaultScope) {
        self.load = load
    }

    /// Reads the vault and gives it to `engine`; false (logged, key names at most) when it
    /// cannot be read: the engine then keeps the values it had.
    func reload(into engine: BotEngine, logger: Logger) -> Bool {
        lock.withLock { _ in
            do {
                engine.replaceVault(try load())
                return true
            } catch {
                logger.error("the vault was stored but could not be read back; the bot keeps its previous values until it restarts",
                             metadata: ["error": "\(error)"])
                return false
            }
        }
    }
}
