using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>A secret's folder as a listing walks it: its canonical name, parsed name and path.</summary>
    internal sealed class NamedFolder
    {
        public NamedFolder(string canonical, SecretName name, string folder)
        {
            Canonical = canonical;
            Name = name;
            Folder = folder;
        }

        public string Canonical { get; }

        public SecretName Name { get; }

        public string Folder { get; }

        /// <summary>
        /// A folder name kept in this user's snapshot of the store, validated when it was read from the
        /// store (so not again); one that could lead out of the secrets folder is refused.
        /// </summary>
        public static NamedFolder Kept(string secretsRoot, string folder)
        {
            if (folder.Length == 0 || folder.IndexOf('/') >= 0 || folder.IndexOf('\\') >= 0 || folder == "." || folder == "..")
            {
                throw new System.IO.InvalidDataException("A folder name in the snapshot is not one of a secret.");
            }

            var name = SecretName.OfKeptFolder(folder);
            return new NamedFolder(name.Canonical, name, System.IO.Path.Combine(secretsRoot, folder));
        }
    }
}
