import FlowDSL
import Synchronization

/// The vault the engine's turns read, and how it follows the stored vault: after an upload to
/// this process (`PUT /admin/vault`) and after another process sharing the store changed it
/// (`CommitNotice.vault`), so that no running server needs a restart.
extension BotEngine {
    /// The `vault` scope turns use now.
    public var vault: VaultScope { scopes.withLock { $0.vault } }

    /// Makes the turns that start from now on use `vault`; a turn already running keeps the
    /// one it began with.
    public func replaceVault(_ vault: VaultScope) {
        let scopes = TurnScopes(vault: vault, base: runtime.baseContext(vault: vault))
        self.scopes.withLock { $0 = scopes }
    }

    /// Reads the vault from `vaultSource` again and makes the turns from now on use it. False
    /// when there is no source or it cannot be read (logged, key names at most): the engine
    /// then keeps the values it had.
    ///
    /// Reloads may overlap (two uploads, a notice from another replica): a read begun later
    /// saw at least what an earlier one saw, so only a read newer than the one applied last
    /// replaces it, and the engine never ends up with an older vault than the store holds.
    @discardableResult
    public func reloadVault() async -> Bool {
        guard let vaultSource else { return false }
        let reload = vaultReloads.withLock { reloads in
            reloads.begun += 1
            return reloads.begun
        }
        do {
            let vault = try await vaultSource.load()
            vaultReloads.withLock { reloads in
                guard reload > reloads.applied else { return }
                reloads.applied = reload
                replaceVault(vault)
            }
            return true
        } catch {
            logger.error("the vault could not be read again; the bot keeps its previous values", metadata: ["error": "\(error)"])
            return false
        }
    }
}
