using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace Secrets.Core.Interop
{
    /// <summary>
    /// Checks what <c>kubectl create secret tls</c> checks, and a little more: that a certificate
    /// file holds PEM certificates only, that a key file holds one unencrypted PEM private key, and
    /// that the key belongs to the first certificate. Messages name the file, never key material.
    /// </summary>
    public static class Pem
    {
        private static readonly Regex Block = new Regex(
            @"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        /// <summary>The certificates of a PEM file; throws <see cref="InvalidContentException"/> (id InvalidPem).</summary>
        public static IReadOnlyList<X509Certificate> ReadCertificates(string text, string source, string? filePath)
        {
            var blocks = Blocks(text, source, filePath);
            if (blocks.Count == 0)
            {
                throw Invalid(source, "it holds no PEM block (-----BEGIN CERTIFICATE-----). Give the certificate in PEM form (openssl x509 -in cert.der -inform der -out cert.pem).", filePath);
            }

            var certificates = new List<X509Certificate>();
            foreach (var (type, body, line) in blocks)
            {
                if (type != "CERTIFICATE")
                {
                    throw Invalid(source, $"line {line} starts a {type} block; a certificate file holds CERTIFICATE blocks only"
                        + (type.EndsWith("PRIVATE KEY", StringComparison.Ordinal) ? " (were the certificate and the key given the other way round?)." : "."), filePath);
                }

                try
                {
                    var certificate = new X509CertificateParser().ReadCertificate(Convert.FromBase64String(body));
                    certificates.Add(certificate ?? throw new FormatException());
                }
                catch (Exception e) when (e is FormatException || e is IOException || e is ArgumentException || e is InvalidOperationException
                    || e is Org.BouncyCastle.Security.Certificates.CertificateException || e is Org.BouncyCastle.Asn1.Asn1Exception)
                {
                    throw Invalid(source, $"the CERTIFICATE block on line {line} is not a valid X.509 certificate.", filePath);
                }
            }

            return certificates;
        }

        /// <summary>The private key of a PEM file; throws <see cref="InvalidContentException"/> (id InvalidPem).</summary>
        public static AsymmetricKeyParameter ReadPrivateKey(string text, string source, string? filePath)
        {
            var blocks = Blocks(text, source, filePath);
            var keys = blocks.Where(b => b.Type.EndsWith("PRIVATE KEY", StringComparison.Ordinal)).ToList();
            if (keys.Count == 0)
            {
                throw Invalid(source, blocks.Count == 0
                    ? "it holds no PEM block (-----BEGIN PRIVATE KEY-----). Give the private key in PEM form."
                    : $"it holds no private key (its first block, line {blocks[0].Line}, is a {blocks[0].Type}; were the certificate and the key given the other way round?).", filePath);
            }

            if (keys.Count > 1)
            {
                throw Invalid(source, $"it holds {keys.Count} private keys (lines {string.Join(", ", keys.Select(k => k.Line))}); give a file with one.", filePath);
            }

            var key = keys[0];
            if (key.Type == "ENCRYPTED PRIVATE KEY" || text.IndexOf("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal) >= 0)
            {
                throw Invalid(source, "the private key is encrypted with a passphrase, which a server reading a Kubernetes secret cannot give. "
                    + "Decrypt it first: openssl pkey -in key.pem -out key-plain.pem.", filePath);
            }

            try
            {
                using var reader = new StringReader(text.Substring(text.IndexOf("-----BEGIN " + key.Type, StringComparison.Ordinal)));
                var read = new PemReader(reader).ReadObject();
                switch (read)
                {
                    case AsymmetricCipherKeyPair pair:
                        return pair.Private;
                    case AsymmetricKeyParameter parameter when parameter.IsPrivate:
                        return parameter;
                }
            }
            catch (Exception e) when (e is IOException || e is ArgumentException || e is InvalidOperationException || e is FormatException
                || e is PemException || e is Org.BouncyCastle.Security.SecurityUtilityException || e is Org.BouncyCastle.Asn1.Asn1Exception || e is InvalidCastException)
            {
            }

            throw Invalid(source, $"the {key.Type} block on line {key.Line} is not a private key this module can read (PKCS#1, PKCS#8 or SEC 1 in PEM form).", filePath);
        }

        /// <summary>
        /// Whether the key is the private half of the certificate's public key; null when this
        /// module cannot tell (a key type other than RSA, EC and Ed25519).
        /// </summary>
        public static bool? Matches(X509Certificate certificate, AsymmetricKeyParameter privateKey)
        {
            var publicKey = certificate.GetPublicKey();
            switch (privateKey)
            {
                case RsaPrivateCrtKeyParameters rsa when publicKey is RsaKeyParameters rsaPublic:
                    return rsa.Modulus.Equals(rsaPublic.Modulus) && rsa.PublicExponent.Equals(rsaPublic.Exponent);
                case ECPrivateKeyParameters ec when publicKey is ECPublicKeyParameters ecPublic:
                    return ec.Parameters.G.Multiply(ec.D).Normalize().Equals(ecPublic.Q.Normalize());
                case Ed25519PrivateKeyParameters ed when publicKey is Ed25519PublicKeyParameters edPublic:
                    return Org.BouncyCastle.Utilities.Arrays.AreEqual(ed.GeneratePublicKey().GetEncoded(), edPublic.GetEncoded());
                case RsaKeyParameters _:
                case ECPrivateKeyParameters _:
                case Ed25519PrivateKeyParameters _:
                    return false;
                default:
                    return null;
            }
        }

        private static List<(string Type, string Body, int Line)> Blocks(string text, string source, string? filePath)
        {
            var blocks = new List<(string, string, int)>();
            foreach (Match match in Block.Matches(text))
            {
                int line = 1 + text.Take(match.Index).Count(c => c == '\n');
                var body = match.Groups[2].Value;
                if (match.Groups[1].Value != match.Groups[3].Value)
                {
                    throw Invalid(source, $"the PEM block on line {line} begins as {match.Groups[1].Value} and ends as {match.Groups[3].Value}.", filePath);
                }

                // Headers (Proc-Type, DEK-Info) end with a blank line; the rest is base64.
                var lines = body.Replace("\r", string.Empty).Split('\n');
                var base64 = string.Concat(lines.Where(l => l.IndexOf(':') < 0).Select(l => l.Trim()));
                blocks.Add((match.Groups[1].Value, base64, line));
            }

            return blocks;
        }

        private static InvalidContentException Invalid(string source, string problem, string? filePath) =>
            new InvalidContentException("InvalidPem", source, 0, problem, filePath);
    }
}
