using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Casewire.Hosting;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Hosting;

/// <summary>
/// SPEC §11, secrets at rest: with <c>DataProtection:Certificate</c> set, the key ring behind staff cookies and portal
/// links is stored encrypted: the database holds no key in plain form.
/// </summary>
public sealed class KeyRingTests
{
    sealed class App(string? certificate, string? password) : CasewireApp
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings[KeyRing.CertificateKey] = certificate;
            settings[KeyRing.PasswordKey] = password;
        }
    }

    /// <summary>A self-signed certificate with its private key, as a PFX file protected by <paramref name="password"/>.</summary>
    static string NewPfx(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Casewire key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(Path.GetTempPath(), $"casewire-keyring-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>Opens the sign-in page (its antiforgery token makes the ring create its first key) and returns the stored key XML.</summary>
    static async Task<string> StoredKeysAsync(CasewireApp app)
    {
        var page = await app.CreateClient().GetAsync("/login");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        var keys = await app.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(keys);
        return string.Join("\n", keys);
    }

    [Fact]
    public async Task WithACertificateTheStoredKeysHoldNoPlaintextKey()
    {
        var pfx = NewPfx("pfx-password-1");
        try
        {
            await using var app = new App(pfx, "pfx-password-1");
            await app.InitializeAsync();

            var xml = await StoredKeysAsync(app);

            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("<value>", xml);
            Assert.DoesNotContain("unencrypted form", xml);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task WithoutOneTheKeysAreStoredInPlainFormAsTheWarningSays()
    {
        await using var app = new App(null, null);
        await app.InitializeAsync();

        var xml = await StoredKeysAsync(app);

        Assert.Contains("<value>", xml);
        Assert.DoesNotContain("<encryptedSecret", xml);
    }

    [Fact]
    public async Task AMissingCertificateFileStopsStartUpNamingTheSetting()
    {
        await using var app = new App("/nonexistent/keyring.pfx", "x");
        var thrown = await Assert.ThrowsAnyAsync<Exception>(async () => await app.InitializeAsync());
        var messages = new List<string>();
        for (var e = thrown; e is not null; e = e.InnerException) messages.Add(e.Message);
        Assert.Contains(messages, m => m.Contains("DataProtection:Certificate '/nonexistent/keyring.pfx' does not exist"));
    }
    [Fact]
    public async Task ACertificateWithoutItsPrivateKeyStopsStartUpNamingTheSetting()
    {
        // A PFX of the public certificate alone: keys could be encrypted with it but never read back.
        using var rsa = RSA.Create(2048);
        using var withKey = new CertificateRequest("CN=Casewire key ring (no key)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.Export(X509ContentType.Cert));
        var pfx = Path.Combine(Path.GetTempPath(), $"casewire-keyring-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(pfx, publicOnly.Export(X509ContentType.Pfx, "x"));
        try
        {
            await using var app = new App(pfx, "x");
            var thrown = await Assert.ThrowsAnyAsync<Exception>(async () => await app.InitializeAsync());
            var messages = new List<string>();
            for (var e = thrown; e is not null; e = e.InnerException) messages.Add(e.Message);
            Assert.Contains(messages, m => m.Contains($"DataProtection:Certificate '{pfx}' has no private key"));
        }
        finally
        {
            File.Delete(pfx);
        }
    }
}
