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
    }
}
