using System;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace Secrets.Fuzz
{
    /// <summary>
    /// Secrets.Fuzz TARGET                      run TARGET under afl-fuzz (input from afl-fuzz, or once from standard input)
    /// Secrets.Fuzz replay TARGET PATH...       check the files (or folders of files) against TARGET's contract
    /// Secrets.Fuzz seeds CORPUS VECTORS [TARGET...]
    ///                                          write the seed corpus to CORPUS/TARGET/ from the conformance vectors
    ///                                          and the sample files of tests/Fixtures/Interop (of the TARGETs only, when given)
    /// Secrets.Fuzz list                        the targets
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] == "-h" || args[0] == "--help")
            {
                Console.Error.WriteLine("usage: Secrets.Fuzz TARGET | replay TARGET PATH... | seeds CORPUS VECTORS [TARGET...] | list");
                Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.All.Keys));
                return args.Length == 0 ? 2 : 0;
            }

            switch (args[0])
            {
                case "list":
                    foreach (var name in FuzzTargets.All.Keys)
                    {
                        Console.WriteLine(name);
                    }

                    return 0;
                case "replay" when args.Length >= 3 && FuzzTargets.All.ContainsKey(args[1]):
                    return Replay(args[1], args.Skip(2).ToArray());
                case "seeds" when args.Length >= 3 && args.Skip(3).All(FuzzTargets.All.ContainsKey):
                    Seeds.Write(args[1], args[2], args.Skip(3).ToArray());
                    return 0;
                default:
                    if (!FuzzTargets.All.TryGetValue(args[0], out var check))
                    {
                        Console.Error.WriteLine($"unknown target or command '{args[0]}'; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
                        return 2;
                    }

                    Fuzzer.Run(stream =>
                    {
                        using var buffer = new MemoryStream();
                        stream.CopyTo(buffer);
                        check(buffer.ToArray());
                    });
                    return 0;
            }
        }

        private static int Replay(string target, string[] paths)
        {
            int count = 0, failed = 0;
            foreach (var file in paths.SelectMany(FuzzTargets.Files))
            {
                count++;
                var problem = FuzzTargets.Run(target, File.ReadAllBytes(file), TimeSpan.FromSeconds(10));
                if (problem != null)
                {
                    failed++;
                    Console.WriteLine($"FAIL {file}: {problem}");
                }
            }

            Console.WriteLine($"{target}: {count - failed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        }
    }
}
