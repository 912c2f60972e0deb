using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Secrets.Core.Errors;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    /// <summary>
    /// Files read for a value: at most the largest value is read, whatever the file claims to be,
    /// and what is not a regular file is refused before it is opened.
    /// </summary>
    public class ValueFileTests
    {
        [Fact]
        public void ReadsTextAndBytes()
        {
            using var folder = new TempFolder();
            var path = folder.Combine("value.txt");
            File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("héllo")).ToArray());

            using var text = ValueFile.Read(path, asByteArray: false);
            Assert.Equal(SecretType.String, text.Type);
            Assert.Equal("héllo", text.GetText());

            using var bytes = ValueFile.Read(path, asByteArray: true);
            Assert.Equal(SecretType.ByteArray, bytes.Type);
            Assert.Equal(File.ReadAllBytes(path), bytes.GetBytes());
        }

        [Fact]
        public void AFileOfTheLargestSizeIsReadAndOneByteMoreIsRefusedNamingTheFileAndTheLimit()
        {
            using var folder = new TempFolder();
            var largest = folder.Combine("largest.bin");
            File.WriteAllBytes(largest, new byte[ValueFile.MaxBytes]);
            using (var value = ValueFile.Read(largest, asByteArray: true))
            {
                Assert.Equal(ValueFile.MaxBytes, value.GetBytes().Length);
            }

            var larger = folder.Combine("larger.bin");
            File.WriteAllBytes(larger, new byte[ValueFile.MaxBytes + 1]);
            var error = Assert.Throws<InvalidInputException>(() => ValueFile.Read(larger, asByteArray: true));
            Assert.Equal("ValueFileTooLarge", error.ErrorId);
            Assert.Contains(larger, error.Message);
            Assert.Contains("16 MiB", error.Message);
        }

        [Fact]
        public void AnEndlessStreamIsReadNoFurtherThanOneByteOverTheLimit()
        {
            using var endless = new EndlessStream();
            Assert.Null(ValueFile.ReadAtMost(endless, 100_000));
            Assert.Equal(100_001, endless.BytesRead);

            using var small = new MemoryStream(new byte[] { 1, 2, 3 });
            Assert.Equal(new byte[] { 1, 2, 3 }, ValueFile.ReadAtMost(small, 3));
            using var over = new MemoryStream(new byte[] { 1, 2, 3, 4 });
            Assert.Null(ValueFile.ReadAtMost(over, 3));
        }

        [UnixFact]
        public void DevZeroIsRefusedAsADeviceWithoutReadingIt()
        {
            var error = Assert.Throws<InvalidInputException>(() => ValueFile.Read("/dev/zero", asByteArray: true));
            Assert.Equal("ValueFileNotRegular", error.ErrorId);
            Assert.Contains("'/dev/zero' is a character device", error.Message);
        }

        [UnixFact]
        public void ANamedPipeIsRefusedWithoutWaitingForAWriter()
        {
            using var folder = new TempFolder();
            var fifo = folder.Combine("pipe");
            using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!)
            {
                mkfifo.WaitForExit();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            var read = Task.Run(() => Assert.Throws<InvalidInputException>(() => ValueFile.Read(fifo, asByteArray: true)));
            Assert.True(read.Wait(TimeSpan.FromSeconds(30)), "Reading a named pipe waited for a writer.");
            Assert.Equal("ValueFileNotRegular", read.Result.ErrorId);
            Assert.Contains("named pipe", read.Result.Message);
        }

        [Fact]
        public void AFolderIsRefusedAsNotAFile()
        {
            using var folder = new TempFolder();
            var error = Assert.Throws<InvalidInputException>(() => ValueFile.Read(folder.Path, asByteArray: false));
            Assert.Equal("ValueFileNotRegular", error.ErrorId);
            Assert.Contains($"'{folder.Path}' is a folder", error.Message);
        }

        [Fact]
        public void AMissingFileIsNotFound()
        {
            using var folder = new TempFolder();
            var missing = folder.Combine("missing.txt");
            var error = Assert.Throws<SecretsException>(() => ValueFile.Read(missing, asByteArray: false));
            Assert.Equal("ValueFileNotFound", error.ErrorId);
            Assert.Equal(FailureKind.NotFound, error.Kind);
            Assert.Equal(missing, error.FilePath);
        }

        /// <summary>A stream that never ends, like /dev/zero, counting what was read from it.</summary>
        private sealed class EndlessStream : Stream
        {
            public long BytesRead { get; private set; }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(count, 7_000);
                Array.Clear(buffer, offset, n);
                BytesRead += n;
                return n;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
