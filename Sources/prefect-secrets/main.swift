import CLI

await PrefectSecretsCommand.mainEntry()
