/// The version of this build, shown by `--version`, `GET /` and `gazette_build_info`.
public enum GazetteVersion {
    public static let current = "0.1.0"
}
