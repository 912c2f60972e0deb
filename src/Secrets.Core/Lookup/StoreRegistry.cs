using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Platform;
using Secrets.Core.Store;

namespace Secrets.Core.Lookup
{
    /// <summary>A store registered under a short name.</summary>
    public sealed class RegisteredStore
    {
        public RegisteredStore(string name, string path, bool isPersonal = false)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Path = path ?? throw new ArgumentNullException(nameof(path));
            IsPersonal = isPersonal;
        }

        /// <summary>The name, as it was registered.</summary>
        public string Name { get; }

        /// <summary>The store folder (a full path).</summary>
        public string Path { get; }

        /// <summary>Whether this is the personal store (<see cref="StoreNames.Personal"/>), which is always registered.</summary>
        public bool IsPersonal { get; }

        public override string ToString() => $"{Name} ({Path})";
    }

    /// <summary>
    /// The stores this user registered under short names, and the lookup order they chose, kept in
    /// the Secrets home (<see cref="FileName"/>, docs/FORMAT.md "Registered stores"). The personal
    /// store is always there, first, under <see cref="StoreNames.Personal"/>, at
    /// <see cref="SecretsPaths.DefaultStorePath"/>; it is not written in the file. An instance is a
    /// snapshot: the methods that change it return a new one, and <see cref="Update"/> applies a
    /// change to the file under a lock, so that two commands run at once never lose a registration.
    /// </summary>
    public sealed class StoreRegistry
    {
        public const string FileName = "stores.json";

        public const int FormatVersion = 1;

        /// <summary>The largest registry file read.</summary>
        public const int MaxFileBytes = 1024 * 1024;

        /// <summary>The most stores a registry holds.</summary>
        public const int MaxStores = 1000;

        private const string SearchUnlisted = "search";
        private const string SkipUnlisted = "skip";

        private StoreRegistry(string filePath, IReadOnlyList<RegisteredStore> stores, IReadOnlyList<string>? lookupOrder, bool excludeUnlistedVaults)
        {
            FilePath = filePath;
            Stores = stores;
            LookupOrder = lookupOrder;
            ExcludeUnlistedVaults = excludeUnlistedVaults;
        }

        /// <summary>The registry file of the current Secrets home.</summary>
        public static string DefaultFilePath => System.IO.Path.Combine(SecretsPaths.Home, FileName);

        /// <summary>The file this registry was read from and is written to.</summary>
        public string FilePath { get; }

        /// <summary>Every registered store: the personal store first, then the others in the order they were registered.</summary>
        public IReadOnlyList<RegisteredStore> Stores { get; }

        /// <summary>The lookup order the user set (names of stores and of SecretManagement vaults); null for the default order.</summary>
        public IReadOnlyList<string>? LookupOrder { get; }

        /// <summary>With a lookup order set: whether SecretManagement vaults it does not name are left out of lookups.</summary>
        public bool ExcludeUnlistedVaults { get; }

        /// <summary>The personal store.</summary>
        public RegisteredStore Personal => Stores[0];

        /// <summary>The registry in <paramref name="filePath"/> (default: <see cref="DefaultFilePath"/>); only the personal store when the file does not exist.</summary>
        public static StoreRegistry Load(string? filePath = null)
        {
            var path = System.IO.Path.GetFullPath(filePath ?? DefaultFilePath);
            byte[] content;
            try
            {
                content = AtomicFile.ReadAll(path, MaxFileBytes, problem => Invalid(path, problem), allowLink: true);
            }
            catch (FileNotFoundException)
            {
                return Empty(path);
            }
            catch (DirectoryNotFoundException)
            {
                return Empty(path);
            }

            return Parse(content, path);
        }

        /// <summary>
        /// Applies <paramref name="change"/> to the registry as it is in its file, under a lock, and
        /// writes the result (owner-only, replaced in one step). Returns the registry written.
        /// </summary>
        public static StoreRegistry Update(Func<StoreRegistry, StoreRegistry> change, string? filePath = null)
        {
            if (change == null)
            {
                throw new ArgumentNullException(nameof(change));
            }

            var path = System.IO.Path.GetFullPath(filePath ?? DefaultFilePath);
            var folder = System.IO.Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(folder);
            var timeout = TimeSpan.FromSeconds(10);
            using (StoreLock.AcquireFile(path + ".lock", timeout, () => new SecretsException("StoreRegistryBusy", FailureKind.Busy,
                $"Another command has been changing the registered stores ('{path}') for more than {timeout.TotalSeconds:0} seconds.")
            {
                FilePath = path,
                RecommendedAction = "Try again when it has finished.",
            }))
            {
                var updated = change(Load(path));
                AtomicFile.Write(path, updated.Serialize(), overwrite: true, ownerOnly: true);
                return new StoreRegistry(path, updated.Stores, updated.LookupOrder, updated.ExcludeUnlistedVaults);
            }
        }

        /// <summary>The registered store named <paramref name="name"/> (any case), or null.</summary>
        public RegisteredStore? Find(string? name) =>
            string.IsNullOrEmpty(name) ? null : Stores.FirstOrDefault(s => StoreNames.Comparer.Equals(s.Name, name));

        /// <summary>The registered store whose folder is <paramref name="path"/>, or null.</summary>
        public RegisteredStore? FindByPath(string path) => Stores.FirstOrDefault(s => StorePaths.Same(s.Path, path));

        /// <summary>
        /// This registry with <paramref name="path"/> registered as <paramref name="name"/>. A new
        /// name is also added at the end of a lookup order the user set (the default order has every
        /// registered store). With <paramref name="force"/>, a name already registered is pointed at
        /// the new folder and keeps its place.
        /// </summary>
        public StoreRegistry Register(string name, string path, bool force = false)
        {
            CheckName(name);
            if (!System.IO.Path.IsPathRooted(path))
            {
                throw new ArgumentException("The store folder must be a full path.", nameof(path));
            }

            var full = System.IO.Path.GetFullPath(path);
            var sameFolder = FindByPath(full);
            var existing = Find(name);
            if (sameFolder != null && !ReferenceEquals(sameFolder, existing))
            {
                throw new SecretsException("StoreAlreadyRegistered", FailureKind.AlreadyExists, sameFolder.IsPersonal
                    ? $"The store at '{full}' is your personal store, which is always registered as '{StoreNames.Personal}'."
                    : $"The store at '{full}' is already registered as '{sameFolder.Name}'.")
                {
                    FilePath = full,
                    RecommendedAction = sameFolder.IsPersonal
                        ? $"Use -Store {StoreNames.Personal}."
                        : $"Use -Store {sameFolder.Name}, or run Unregister-SecretStore -Name {sameFolder.Name} first to register it under another name.",
                };
            }

            if (existing != null)
            {
                if (StorePaths.Same(existing.Path, full))
                {
                    return this;
                }

                if (!force)
                {
                    throw new SecretsException("StoreNameExists", FailureKind.AlreadyExists,
                        $"A store is already registered as '{existing.Name}', at '{existing.Path}'.")
                    {
                        RecommendedAction = $"Add -Force to point '{existing.Name}' at '{full}' instead, or choose another name.",
                    };
                }

                var replaced = Stores.Select(s => ReferenceEquals(s, existing) ? new RegisteredStore(existing.Name, full) : s).ToList();
                return new StoreRegistry(FilePath, replaced, LookupOrder, ExcludeUnlistedVaults);
            }

            if (Stores.Count >= MaxStores)
            {
                throw new SecretsException("TooManyStores", FailureKind.InvalidOperation, $"{MaxStores} stores are registered, the most there can be.")
                {
                    RecommendedAction = "Unregister the stores you no longer use (Unregister-SecretStore).",
                };
            }

            var stores = Stores.Concat(new[] { new RegisteredStore(name, full) }).ToList();
            var order = LookupOrder == null || LookupOrder.Contains(name, StoreNames.Comparer) ? LookupOrder : LookupOrder.Concat(new[] { name }).ToList();
            return new StoreRegistry(FilePath, stores, order, ExcludeUnlistedVaults);
        }

        /// <summary>This registry without the store <paramref name="name"/> (also taken out of a lookup order the user set).</summary>
        public StoreRegistry Unregister(string name)
        {
            CheckName(name);
            var existing = Find(name) ?? throw NotRegistered(name);
            var stores = Stores.Where(s => !ReferenceEquals(s, existing)).ToList();
            var order = LookupOrder?.Where(n => !StoreNames.Comparer.Equals(n, existing.Name)).ToList();
            return new StoreRegistry(FilePath, stores, order, ExcludeUnlistedVaults);
        }

        /// <summary>
        /// This registry with the lookup order <paramref name="order"/> (names of stores and of
        /// SecretManagement vaults, each once; whether each exists is for the caller to check), or
        /// the default order when <paramref name="order"/> is null.
        /// </summary>
        public StoreRegistry WithLookupOrder(IReadOnlyList<string>? order, bool excludeUnlistedVaults)
        {
            if (order == null)
            {
                return new StoreRegistry(FilePath, Stores, null, false);
            }

            var problem = OrderProblem(order);
            if (problem != null)
            {
                throw new InvalidInputException("InvalidLookupOrder", "Name", problem);
            }

            return new StoreRegistry(FilePath, Stores, order.ToList(), excludeUnlistedVaults);
        }

        /// <summary>The error for a name no store is registered under.</summary>
        public SecretsException NotRegistered(string name) =>
            new SecretsException("StoreNameNotFound", FailureKind.NotFound,
                $"No store is registered as '{name}'. The registered stores are {string.Join(", ", Stores.Select(s => "'" + s.Name + "'"))}.")
            {
                RecommendedAction = $"Run Get-SecretStore to list them, or Register-SecretStore -Name {name} -Path <folder> to register one.",
            };

        /// <summary>The file's content: JSON, written the same way every time.</summary>
        public byte[] Serialize()
        {
            var builder = new StringBuilder();
            builder.Append("{\n  \"format\": ").Append(FormatVersion).Append(",\n  \"stores\": [");
            var others = Stores.Where(s => !s.IsPersonal).ToList();
            for (int i = 0; i < others.Count; i++)
            {
                builder.Append(i == 0 ? "\n" : ",\n").Append("    { \"name\": ");
                JsonText.AppendString(builder, others[i].Name);
                builder.Append(", \"path\": ");
                JsonText.AppendString(builder, others[i].Path);
                builder.Append(" }");
            }

            builder.Append(others.Count == 0 ? "]" : "\n  ]");
            if (LookupOrder != null)
            {
                builder.Append(",\n  \"lookup\": {\n    \"order\": [");
                for (int i = 0; i < LookupOrder.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ");
                    JsonText.AppendString(builder, LookupOrder[i]);
                }

                builder.Append("],\n    \"unlistedVaults\": \"").Append(ExcludeUnlistedVaults ? SkipUnlisted : SearchUnlisted).Append("\"\n  }");
            }

            builder.Append("\n}\n");
            return new UTF8Encoding(false).GetBytes(builder.ToString());
        }

        /// <summary>Reads a registry file's content; throws <see cref="InvalidFileException"/> (StoreRegistryInvalid) naming the file and what is wrong.</summary>
        public static StoreRegistry Parse(byte[] content, string filePath)
        {
            if (content == null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(content);
            }
            catch (DecoderFallbackException)
            {
                throw Invalid(filePath, "it is not valid UTF-8");
            }

            YamlNode root;
            try
            {
                root = YamlTree.ParseSingle(text.TrimStart('\uFEFF'));
            }
            catch (YamlTreeException e)
            {
                throw Invalid(filePath, $"line {e.Line}: {e.Problem}");
            }

            if (!(root is YamlMapping mapping))
            {
                throw Invalid(filePath, "it should be a JSON object with the keys \"format\", \"stores\" and, optionally, \"lookup\"");
            }

            var format = mapping["format"] as YamlScalar;
            if (format == null || !format.IsPlain || !int.TryParse(format.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int version) || version < 1)
            {
                throw Invalid(filePath, "\"format\" should be the number " + FormatVersion);
            }

            if (version > FormatVersion)
            {
                throw new UnsupportedFormatException(filePath, $"registry format {version}");
            }

            CheckKeys(filePath, mapping, "the file", "format", "stores", "lookup");

            var personal = new RegisteredStore(StoreNames.Personal, System.IO.Path.GetFullPath(SecretsPaths.DefaultStorePath), isPersonal: true);
            var stores = new List<RegisteredStore> { personal };
            if (!(mapping["stores"] is YamlSequence list))
            {
                throw Invalid(filePath, "\"stores\" should be a list of { \"name\": …, \"path\": … } objects");
            }

            if (list.Items.Count > MaxStores)
            {
                throw Invalid(filePath, $"it lists {list.Items.Count} stores; at most {MaxStores} are allowed");
            }

            foreach (var item in list.Items)
            {
                if (!(item is YamlMapping entry))
                {
                    throw Invalid(filePath, $"line {item.Line}: each store should be an object with \"name\" and \"path\"");
                }

                CheckKeys(filePath, entry, "a store", "name", "path");
                var name = Text(filePath, entry, "name");
                var path = Text(filePath, entry, "path");
                var nameProblem = StoreNames.Validate(name);
                if (nameProblem != null)
                {
                    throw Invalid(filePath, $"line {entry.Line}: {Clause(nameProblem)}");
                }

                if (StoreNames.IsPersonal(name))
                {
                    throw Invalid(filePath, $"line {entry.Line}: the name '{StoreNames.Personal}' is the personal store's and is not written in the file");
                }

                if (!System.IO.Path.IsPathRooted(path) || path.IndexOf('\0') >= 0)
                {
                    throw Invalid(filePath, $"line {entry.Line}: the path of '{name}' should be a full path");
                }

                if (stores.Any(s => StoreNames.Comparer.Equals(s.Name, name)))
                {
                    throw Invalid(filePath, $"line {entry.Line}: the name '{name}' is registered twice");
                }

                stores.Add(new RegisteredStore(name, System.IO.Path.GetFullPath(path)));
            }

            List<string>? order = null;
            bool excludeUnlisted = false;
            var lookupNode = mapping["lookup"];
            if (lookupNode != null && !(lookupNode is YamlScalar nullScalar && nullScalar.IsNull))
            {
                if (!(lookupNode is YamlMapping lookup))
                {
                    throw Invalid(filePath, "\"lookup\" should be an object with \"order\" and \"unlistedVaults\"");
                }

                CheckKeys(filePath, lookup, "\"lookup\"", "order", "unlistedVaults");
                if (!(lookup["order"] is YamlSequence names))
                {
                    throw Invalid(filePath, "\"lookup\".\"order\" should be a list of names");
                }

                order = new List<string>();
                foreach (var item in names.Items)
                {
                    if (!(item is YamlScalar scalar) || scalar.IsNull)
                    {
                        throw Invalid(filePath, $"line {item.Line}: each name of the lookup order should be a string");
                    }

                    order.Add(scalar.Value);
                }

                var orderProblem = OrderProblem(order);
                if (orderProblem != null)
                {
                    throw Invalid(filePath, "the lookup order: " + Clause(orderProblem));
                }

                var unlisted = lookup["unlistedVaults"] as YamlScalar;
                if (unlisted == null || (unlisted.Value != SearchUnlisted && unlisted.Value != SkipUnlisted))
                {
                    throw Invalid(filePath, $"\"lookup\".\"unlistedVaults\" should be \"{SearchUnlisted}\" or \"{SkipUnlisted}\"");
                }

                excludeUnlisted = unlisted.Value == SkipUnlisted;
            }

            return new StoreRegistry(filePath, stores, order, excludeUnlisted);
        }

        private static StoreRegistry Empty(string filePath) =>
            new StoreRegistry(filePath, new[] { new RegisteredStore(StoreNames.Personal, System.IO.Path.GetFullPath(SecretsPaths.DefaultStorePath), isPersonal: true) }, null, false);

        private static void CheckName(string name)
        {
            var problem = StoreNames.Validate(name);
            if (problem != null)
            {
                throw new InvalidInputException("InvalidStoreName", "Name", problem);
            }

            if (StoreNames.IsPersonal(name))
            {
                throw new SecretsException("StoreNameReserved", FailureKind.InvalidArgument,
                    $"'{StoreNames.Personal}' is the name of your personal store ({SecretsPaths.DefaultStorePath}): it is always registered, and cannot be registered again, moved or unregistered.")
                {
                    RecommendedAction = $"Choose another name. To move your personal store, set $env:{SecretsPaths.StoreVariable}.",
                };
            }
        }

        /// <summary>Why a lookup order cannot be used (a sentence), or null.</summary>
        private static string? OrderProblem(IReadOnlyList<string> order)
        {
            if (order.Count == 0)
            {
                return "The lookup order must name at least one store or vault.";
            }

            var seen = new HashSet<string>(StoreNames.Comparer);
            foreach (var name in order)
            {
                if (string.IsNullOrWhiteSpace(name) || name.Any(c => c < 0x20 || c == 0x7f))
                {
                    return "A name in the lookup order is empty or contains a control character.";
                }

                if (!seen.Add(name))
                {
                    return $"The lookup order names '{name}' twice; each store or vault is searched once.";
                }
            }

            return null;
        }

        private static void CheckKeys(string filePath, YamlMapping mapping, string what, params string[] allowed)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in mapping.Entries)
            {
                if (!allowed.Contains(entry.Key.Value, StringComparer.Ordinal))
                {
                    throw Invalid(filePath, $"line {entry.Key.Line}: {what} has the unknown key \"{entry.Key.Value}\" (the keys are {string.Join(", ", allowed.Select(a => "\"" + a + "\""))})");
                }

                if (!seen.Add(entry.Key.Value))
                {
                    throw Invalid(filePath, $"line {entry.Key.Line}: {what} has the key \"{entry.Key.Value}\" twice");
                }
            }
        }

        private static string Text(string filePath, YamlMapping entry, string key)
        {
            if (!(entry[key] is YamlScalar scalar) || scalar.IsNull)
            {
                throw Invalid(filePath, $"line {entry.Line}: each store needs a \"{key}\" (a string)");
            }

            return scalar.Value;
        }

        private static string Clause(string sentence) =>
            sentence.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence.Substring(1).TrimEnd('.');

        private static InvalidFileException Invalid(string filePath, string problem) =>
            new InvalidFileException("StoreRegistryInvalid", filePath, problem)
            {
                RecommendedAction = "Correct the file, or delete it to keep only your personal store registered (no store is touched either way).",
            };
    }
}
