using System;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Xunit;

namespace Secrets.Core.Tests.Leaks
{
    /// <summary>Asserts that an exception (with its inner exceptions) never shows a secret value.</summary>
    internal static class NoValueIn
    {
        /// <summary>A value no message could contain by accident.</summary>
        public const string Value = "Zq7xSECRETv4lu3";

        public static void Exception(Exception error)
        {
            for (var e = error; e != null; e = e.InnerException)
            {
                Text(e.Message, e.GetType().Name + ".Message");
                if (e is SecretsException secrets && secrets.RecommendedAction != null)
                {
                    Text(secrets.RecommendedAction, "RecommendedAction");
                }
            }

            Text(error.ToString(), "ToString()");
        }

        public static void Text(string text, string what)
        {
            Assert.False(text.Contains(Value, StringComparison.OrdinalIgnoreCase), $"{what} shows the value: {text}");
            Assert.False(text.Contains(Base64.Encode(Encoding.UTF8.GetBytes(Value)), StringComparison.Ordinal), $"{what} shows the value in base64: {text}");
        }

        /// <summary>Runs the action, which must fail, and checks what it throws.</summary>
        public static Exception Throws(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                Exception(e);
                return e;
            }

            Assert.Fail("The action did not fail.");
            throw new InvalidOperationException();
        }
    }
}
