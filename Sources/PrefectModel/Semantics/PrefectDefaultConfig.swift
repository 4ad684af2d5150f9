// Generated from prefect 1.4.1's prefect/config.toml (loaded with toml 0.10.2, keys in file order).

/// Prefect 1.4.1's packaged default configuration, the first config source.
public enum PrefectDefaultConfig {
    /// The parsed `prefect/config.toml`.
    public static let tree: ConfigValue = .table([
        ConfigEntry("debug", .bool(false)),
        ConfigEntry("home_dir", .string("~/.prefect")),
        ConfigEntry("backend", .string("cloud")),
        ConfigEntry("server", .table([
            ConfigEntry("host", .string("http://localhost")),
            ConfigEntry("port", .string("4200")),
            ConfigEntry("host_port", .string("4200")),
            ConfigEntry("host_ip", .string("127.0.0.1")),
            ConfigEntry("endpoint", .string("${server.host}:${server.port}")),
            ConfigEntry("database", .table([
                ConfigEntry("host", .string("localhost")),
                ConfigEntry("port", .string("5432")),
                ConfigEntry("host_port", .string("5432")),
                ConfigEntry("name", .string("prefect_server")),
                ConfigEntry("username", .string("prefect")),
                ConfigEntry("password", .string("test-password")),
                ConfigEntry("connection_url", .string("postgresql://${server.database.username}:${server.database.password}@${server.database.host}:${server.database.port}/${server.database.name}")),
                ConfigEntry("volume_path", .string("${home_dir}/pg_data")),
            ])),
            ConfigEntry("graphql", .table([
                ConfigEntry("host", .string("0.0.0.0")),
                ConfigEntry("port", .string("4201")),
                ConfigEntry("host_port", .string("4201")),
                ConfigEntry("debug", .bool(false)),
                ConfigEntry("path", .string("/graphql/")),
            ])),
            ConfigEntry("hasura", .table([
                ConfigEntry("host", .string("localhost")),
                ConfigEntry("port", .string("3000")),
                ConfigEntry("host_port", .string("3000")),
                ConfigEntry("admin_secret", .string("")),
                ConfigEntry("claims_namespace", .string("hasura-claims")),
                ConfigEntry("graphql_url", .string("http://${server.hasura.host}:${server.hasura.port}/v1alpha1/graphql")),
                ConfigEntry("ws_url", .string("ws://${server.hasura.host}:${server.hasura.port}/v1alpha1/graphql")),
                ConfigEntry("execute_retry_seconds", .integer(10)),
            ])),
            ConfigEntry("ui", .table([
                ConfigEntry("host", .string("http://localhost")),
                ConfigEntry("port", .string("8080")),
                ConfigEntry("host_port", .string("8080")),
                ConfigEntry("host_ip", .string("127.0.0.1")),
                ConfigEntry("endpoint", .string("${server.ui.host}:${server.ui.port}")),
                ConfigEntry("apollo_url", .string("http://localhost:4200/graphql")),
            ])),
            ConfigEntry("telemetry", .table([
                ConfigEntry("enabled", .bool(true)),
            ])),
        ])),
        ConfigEntry("cloud", .table([
            ConfigEntry("api", .string("${${backend}.endpoint}")),
            ConfigEntry("endpoint", .string("https://api.prefect.io")),
            ConfigEntry("graphql", .string("${cloud.api}/graphql")),
            ConfigEntry("use_local_secrets", .bool(true)),
            ConfigEntry("heartbeat_interval", .float(30.0)),
            ConfigEntry("heartbeat_mode", .string("process")),
            ConfigEntry("check_cancellation_interval", .float(15.0)),
            ConfigEntry("diagnostics", .bool(false)),
            ConfigEntry("request_timeout", .integer(15)),
            ConfigEntry("send_flow_run_logs", .bool(true)),
            ConfigEntry("logging_heartbeat", .integer(5)),
            ConfigEntry("queue_interval", .float(30.0)),
            ConfigEntry("api_key", .string("")),
            ConfigEntry("tenant_id", .string("")),
            ConfigEntry("agent", .table([
                ConfigEntry("name", .string("agent")),
                ConfigEntry("labels", .string("[]")),
                ConfigEntry("level", .string("INFO")),
                ConfigEntry("auth_token", .string("")),
                ConfigEntry("agent_address", .string("")),
                ConfigEntry("kubernetes_keep_alive", .bool(false)),
                ConfigEntry("resource_manager", .table([
                    ConfigEntry("loop_interval", .integer(60)),
                ])),
            ])),
            ConfigEntry("rate_limiting", .table([
                ConfigEntry("backoff_s", .integer(180)),
                ConfigEntry("backoff_multiplier", .integer(10)),
                ConfigEntry("backoff_exponent", .integer(2)),
                ConfigEntry("max_retries", .integer(6)),
            ])),
        ])),
        ConfigEntry("logging", .table([
            ConfigEntry("level", .string("INFO")),
            ConfigEntry("format", .string("[%(asctime)s] %(levelname)s - %(name)s | %(message)s")),
            ConfigEntry("log_attributes", .string("[]")),
            ConfigEntry("datefmt", .string("%Y-%m-%d %H:%M:%S%z")),
            ConfigEntry("extra_loggers", .string("[]")),
        ])),
        ConfigEntry("flows", .table([
            ConfigEntry("eager_edge_validation", .bool(false)),
            ConfigEntry("run_on_schedule", .bool(true)),
            ConfigEntry("checkpointing", .bool(false)),
            ConfigEntry("defaults", .table([
                ConfigEntry("storage", .table([
                    ConfigEntry("add_default_labels", .bool(true)),
                    ConfigEntry("default_class", .string("prefect.storage.Local")),
                ])),
            ])),
        ])),
        ConfigEntry("tasks", .table([
            ConfigEntry("defaults", .table([
                ConfigEntry("max_retries", .bool(false)),
                ConfigEntry("retry_delay", .bool(false)),
            ])),
        ])),
        ConfigEntry("engine", .table([
            ConfigEntry("executor", .table([
                ConfigEntry("default_class", .string("prefect.executors.LocalExecutor")),
                ConfigEntry("dask", .table([
                    ConfigEntry("address", .string("")),
                    ConfigEntry("cluster_class", .string("distributed.deploy.local.LocalCluster")),
                ])),
            ])),
            ConfigEntry("flow_runner", .table([
                ConfigEntry("default_class", .string("prefect.engine.flow_runner.FlowRunner")),
            ])),
            ConfigEntry("task_runner", .table([
                ConfigEntry("default_class", .string("prefect.engine.task_runner.TaskRunner")),
            ])),
        ])),
    ])
}
