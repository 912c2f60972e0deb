using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Secrets.Core.Errors;

namespace Secrets.Core.Store
{
    /// <summary>
    /// The writers' lock: an exclusive open of <c>&lt;store&gt;/.lock</c>. The operating system
    /// releases it when the process ends, so a killed writer never leaves the store locked.
    /// </summary>
    internal sealed class StoreLock : IDisposable
    {
        public const string FileName = ".lock";

        private readonly FileStream _stream;

        private StoreLock(FileStream stream)
        {
            _stream = stream;
        }

        public static StoreLock Acquire(string storePath, TimeSpan timeout) =>
            AcquireFile(Path.Combine(storePath, FileName), timeout, () => new StoreBusyException(storePath, timeout));

        /// <summary>The same lock on any file: <paramref name="busy"/> is thrown when it is held longer than <paramref name="timeout"/>.</summary>
        public static StoreLock AcquireFile(string path, TimeSpan timeout, Func<Exception> busy)
        {
            var clock = Stopwatch.StartNew();
            var delay = 5;
            var jitter = new Random();
            while (true)
            {
                try
                {
                    var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    return new StoreLock(stream);
                }
                catch (IOException) when (clock.Elapsed < timeout)
                {
                    // Held by another writer (this process or another): wait and retry.
                }
                catch (UnauthorizedAccessException) when (clock.Elapsed < timeout && File.Exists(path))
                {
                    // Windows reports a file being deleted or locked this way at times.
                }
                catch (IOException)
                {
                    throw busy();
                }

                Thread.Sleep(delay + jitter.Next(delay));
                delay = Math.Min(delay * 2, 200);
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
