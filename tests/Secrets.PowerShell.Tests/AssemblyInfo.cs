// Tests set SECRETS_HOME, which is process-wide: run them one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
