using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Store;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// The store manifest (<c>StoreManifest.Parse</c>). The input is signed again by its owner when
    /// that is a known key. Contract: refused with a <see cref="FormatProblem"/> that becomes an
    /// error naming the file, or accepted, and then the owner's writer gives the same bytes, and
    /// the next revision written by the owner parses to the same settings.
    /// </summary>
    internal static class ManifestTarget
    {
        public const string Path = "/fuzz/store/store.manifest";

        public static void Check(byte[] input)
        {
            var data = Lines.Resign(input, (d, count) => Lines.FirstValue(d, count, "owner") is string owner ? Keys.ByRecipient(owner) : null);
            StoreManifest manifest;
            try
            {
                manifest = StoreManifest.Parse(data);
            }
            catch (FormatProblem problem)
            {
                Expect.Refused(problem, "ManifestInvalid", Path);
                return;
            }

            Expect.Trace($"accepted: revision {manifest.Revision}, owner {manifest.OwnerName}");
            Expect.That(manifest.KeepVersions >= 1 && manifest.KeepVersions <= StoreManifest.MaxKeepVersions, "keep-versions out of range");
            Expect.That(manifest.Revision >= 1, "a revision below 1");
            Expect.That(manifest.IdHex.Length == 32, "a store id that is not 16 bytes");
            var owner = Keys.ByRecipient(manifest.Owner.Text);
            if (owner == null)
            {
                return;
            }

            Expect.SameBytes(data, manifest.Serialize(owner), "the accepted manifest written again by its owner");
            StoreManifest next;
            try
            {
                next = manifest.WithKeepVersions(manifest.KeepVersions);
            }
            catch (SecretsException e) when (e.ErrorId == "ManifestRevisionLimit")
            {
                Expect.That(manifest.Revision == int.MaxValue, "the revision limit reported below the highest revision");
                return;
            }

            var reread = StoreManifest.Parse(next.Serialize(owner));
            Expect.That(reread.Revision == manifest.Revision + 1, "the next revision of the manifest");
            Expect.That(reread.IdHex == manifest.IdHex && reread.Created == manifest.Created && reread.Owner.Equals(manifest.Owner)
                && reread.OwnerName == manifest.OwnerName && reread.KeepVersions == manifest.KeepVersions,
                "the next revision of the manifest has other settings");
        }
    }
}
