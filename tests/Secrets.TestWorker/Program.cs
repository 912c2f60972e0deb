using System;

namespace Secrets.TestWorker
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            Console.Error.WriteLine("usage: Secrets.TestWorker <command> ...");
            return 2;
        }
    }
}
