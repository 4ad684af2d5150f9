// Generated from prefect 1.4.1's prefect/config.toml (loaded with toml 0.10.2, keys in file order).

/// Prefect 1.4.1's packaged default configuration, the first config source.
public enum PrefectDefaultConfig {
    /// The parsed `prefect/config.toml`.
    /// ``tree`` as Python values, converted once: every flow run's config load starts from it.
    public static let pyValue: PyValue = tree.pyValue

    /// `string_to_type` of every string in ``tree``: the second pass converts each default
    /// on every load, and a literal parse per value is most of a load's time.
    static let convertedStrings: [String: PyValue] = {
        var strings: [String: PyValue] = [:]
        func visit(_ value: ConfigValue) {
            switch value {
            case .string(let s): strings[s] = PrefectValueConversion.convert(s)
            case .table(let entries): for entry in entries { visit(entry.value) }
            case .array(let items): for item in items { visit(item) }
            default: break
            }
        }
        visit(tree)
        return strings
    }()

    public static let tree: ConfigValue = .table([
        ConfigTableEntry("debug", .bool(false)),
        ConfigTableEntry("home_dir", .string("~/.prefect")),
        ConfigTableEntry("backend", .string("cloud")),
        ConfigTableEntry("server", .table([
            ConfigTableEntry("host", .string("http://localhost")),
            ConfigTableEntry("port", .string("4200")),
            ConfigTableEntry("host_port", .string("4200")),
            ConfigTableEntry("host_ip", .string("127.0.0.1")),
            ConfigTableEntry("endpoint", .string("${server.host}:${server.port}")),
            ConfigTableEntry("database", .table([
                ConfigTableEntry("host", .string("localhost")),
                ConfigTableEntry("port", .string("5432")),
                ConfigTableEntry("host_port", .string("5432")),
                ConfigTableEntry("name", .string("prefect_server")),
                ConfigTableEntry("username", .string("prefect")),
                ConfigTableEntry("password", .string("test-password")),
                ConfigTableEntry("connection_url", .string("postgresql://${server.database.username}:${server.database.password}@${server.database.host}:${server.database.port}/${server.database.name}")),
                ConfigTableEntry("volume_path", .string("${home_dir}/pg_data")),
            ])),
            ConfigTableEntry("graphql", .table([
                ConfigTableEntry("host", .string("0.0.0.0")),
                ConfigTableEntry("port", .string("4201")),
                ConfigTableEntry("host_port", .string("4201")),
                ConfigTableEntry("debug", .bool(false)),
                ConfigTableEntry("path", .string("/graphql/")),
            ])),
            ConfigTableEntry("hasura", .table([
                ConfigTableEntry("host", .string("localhost")),
                ConfigTableEntry("port", .string("3000")),
                ConfigTableEntry("host_port", .string("3000")),
                ConfigTableEntry("admin_secret", .string("")),
                ConfigTableEntry("claims_namespace", .string("hasura-claims")),
                ConfigTableEntry("graphql_url", .string("http://${server.hasura.host}:${server.hasura.port}/v1alpha1/graphql")),
                ConfigTableEntry("ws_url", .string("ws://${server.hasura.host}:${server.hasura.port}/v1alpha1/graphql")),
                ConfigTableEntry("execute_retry_seconds", .integer(10)),
            ])),
            ConfigTableEntry("ui", .table([
                ConfigTableEntry("host", .string("http://localhost")),
                ConfigTableEntry("port", .string("8080")),
                ConfigTableEntry("host_port", .string("8080")),
                ConfigTableEntry("host_ip", .string("127.0.0.1")),
                ConfigTableEntry("endpoint", .string("${server.ui.host}:${server.ui.port}")),
                ConfigTableEntry("apollo_url", .string("http://localhost:4200/graphql")),
            ])),
            ConfigTableEntry("telemetry", .table([
                ConfigTableEntry("enabled", .bool(true)),
            ])),
        ])),
        ConfigTableEntry("cloud", .table([
            ConfigTableEntry("api", .string("${${backend}.endpoint}")),
            ConfigTableEntry("endpoint", .string("https://api.prefect.io")),
            ConfigTableEntry("graphql", .string("${cloud.api}/graphql")),
            ConfigTableEntry("use_local_secrets", .bool(true)),
            ConfigTableEntry("heartbeat_interval", .float(30.0)),
            ConfigTableEntry("heartbeat_mode", .string("process")),
            ConfigTableEntry("check_cancellation_interval", .float(15.0)),
            ConfigTableEntry("diagnostics", .bool(false)),
            ConfigTableEntry("request_timeout", .integer(15)),
            ConfigTableEntry("send_flow_run_logs", .bool(true)),
            ConfigTableEntry("logging_heartbeat", .integer(5)),
            ConfigTableEntry("queue_interval", .float(30.0)),
            ConfigTableEntry("api_key", .string("")),
            ConfigTableEntry("tenant_id", .string("")),
            ConfigTableEntry("agent", .table([
                ConfigTableEntry("name", .string("agent")),
                ConfigTableEntry("labels", .string("[]")),
                ConfigTableEntry("level", .string("INFO")),
                ConfigTableEntry("auth_token", .string("")),
                ConfigTableEntry("agent_address", .string("")),
                ConfigTableEntry("kubernetes_keep_alive", .bool(false)),
                ConfigTableEntry("resource_manager", .table([
                    ConfigTableEntry("loop_interval", .integer(60)),
                ])),
            ])),
            ConfigTableEntry("rate_limiting", .table([
                ConfigTableEntry("backoff_s", .integer(180)),
                ConfigTableEntry("backoff_multiplier", .integer(10)),
                ConfigTableEntry("backoff_exponent", .integer(2)),
                ConfigTableEntry("max_retries", .integer(6)),
            ])),
        ])),
        ConfigTableEntry("logging", .table([
            ConfigTableEntry("level", .string("INFO")),
            ConfigTableEntry("format", .string("[%(asctime)s] %(levelname)s - %(name)s | %(message)s")),
            ConfigTableEntry("log_attributes", .string("[]")),
            ConfigTableEntry("datefmt", .string("%Y-%m-%d %H:%M:%S%z")),
            ConfigTableEntry("extra_loggers", .string("[]")),
        ])),
        ConfigTableEntry("flows", .table([
            ConfigTableEntry("eager_edge_validation", .bool(false)),
            ConfigTableEntry("run_on_schedule", .bool(true)),
            ConfigTableEntry("checkpointing", .bool(false)),
            ConfigTableEntry("defaults", .table([
                ConfigTableEntry("storage", .table([
                    ConfigTableEntry("add_default_labels", .bool(true)),
                    ConfigTableEntry("default_class", .string("prefect.storage.Local")),
                ])),
            ])),
        ])),
        ConfigTableEntry("tasks", .table([
            ConfigTableEntry("defaults", .table([
                ConfigTableEntry("max_retries", .bool(false)),
                ConfigTableEntry("retry_delay", .bool(false)),
            ])),
        ])),
        ConfigTableEntry("engine", .table([
            ConfigTableEntry("executor", .table([
                ConfigTableEntry("default_class", .string("prefect.executors.LocalExecutor")),
                ConfigTableEntry("dask", .table([
                    ConfigTableEntry("address", .string("")),
                    ConfigTableEntry("cluster_class", .string("distributed.deploy.local.LocalCluster")),
                ])),
            ])),
            ConfigTableEntry("flow_runner", .table([
                ConfigTableEntry("default_class", .string("prefect.engine.flow_runner.FlowRunner")),
            ])),
            ConfigTableEntry("task_runner", .table([
                ConfigTableEntry("default_class", .string("prefect.engine.task_runner.TaskRunner")),
            ])),
        ])),
    ])
}
