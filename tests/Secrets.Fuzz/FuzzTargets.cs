using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Secrets.Fuzz.Targets;

namespace Secrets.Fuzz
{
    /// <summary>The fuzz targets by name, and running inputs through them outside the fuzzer.</summary>
    public static class FuzzTargets
    {
        public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new SortedDictionary<string, Action<byte[]>>(StringComparer.Ordinal)
        {
            ["dotenv"] = DotEnvTarget.Check,
            ["flat-values"] = FlatValuesTarget.Check,
            ["identity"] = IdentityTarget.Check,
            ["identity-backup"] = IdentityBackupTarget.Check,
            ["ini"] = IniTarget.Check,
            ["kubernetes"] = KubernetesTarget.Check,
            ["log-entry"] = LogEntryTarget.Check,
            ["manifest"] = ManifestTarget.Check,
            ["provider-files"] = ProviderFilesTarget.Check,
            ["recipient"] = RecipientTarget.Check,
            ["secret-reference"] = SecretReferenceTarget.Check,
            ["structured-values"] = StructuredValuesTarget.Check,
            ["value-codec"] = ValueCodecTarget.Check,
            ["version-file"] = VersionFileTarget.Check,
        };

        /// <summary>
        /// Runs one input through a target within <paramref name="timeout"/>: null when the
        /// contract holds, otherwise what went wrong (a violation, another exception, a hang).
        /// </summary>
        public static string? Run(string target, byte[] input, TimeSpan timeout)
        {
            var check = All[target];
            return RunCheck(() => check(input), timeout);
        }

        /// <summary>Runs a check within <paramref name="timeout"/>: null when it returns, otherwise what went wrong.</summary>
        public static string? RunCheck(Action check, TimeSpan timeout)
        {
            var task = Task.Run(check);
            try
            {
                if (!task.Wait(timeout))
                {
                    return $"no answer within {timeout.TotalSeconds:0.#} s (a hang)";
                }
            }
            catch (AggregateException e)
            {
                var inner = e.InnerException!;
                return inner is ContractViolation
                    ? "contract violation: " + inner.Message
                    : $"{inner.GetType().FullName} escaped: {inner.Message}{Environment.NewLine}{inner.StackTrace}";
            }

            return null;
        }

        /// <summary>The corpus files under <paramref name="path"/> (a file, or a folder searched recursively; dot files skipped).</summary>
        public static IEnumerable<string> Files(string path) =>
            File.Exists(path)
                ? new[] { path }
                : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith(".", StringComparison.Ordinal))
                    .OrderBy(f => f, StringComparer.Ordinal);
    }
}
