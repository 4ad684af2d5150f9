import CLI
await PrefectSecretsCommand.main()
