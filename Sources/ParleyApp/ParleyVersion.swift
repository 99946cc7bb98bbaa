/// Parley's version, as `botcli --version` prints it.
public enum ParleyVersion {
    public static let current = "0.1.0"
}
