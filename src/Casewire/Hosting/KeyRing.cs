using System.Security.Cryptography.X509Certificates;
using Casewire.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Casewire.Hosting;

/// <summary>
/// The Data Protection key ring behind staff cookies, antiforgery tokens and portal links. The keys live in the
/// database, so every instance reads the same ring and links survive restarts and redeployments (the application
/// name, not the install folder, scopes them). At rest they are encrypted with <c>DataProtection:Certificate</c>
/// (a PFX file) and <c>DataProtection:CertificatePassword</c> when set (SPEC §11); in Production without them a
/// warning at start-up says how to set them.
/// </summary>
static class KeyRing
{
    public const string CertificateKey = "DataProtection:Certificate";
    public const string PasswordKey = "DataProtection:CertificatePassword";

    /// <remarks>
    /// Call after <c>AddCasewireData</c>: hosted services start in order, and the key ring's (which creates the first
    /// key) must find the table the migrator makes. Otherwise the first key is made inside a request's write
    /// transaction, on another connection, and waits for that transaction's lock until SQLite's busy timeout.
    /// </remarks>
    public static IHostApplicationBuilder AddKeyRing(this IHostApplicationBuilder builder)
    {
        var keys = builder.Services.AddDataProtection().SetApplicationName("Casewire").PersistKeysToDbContext<CasewireDb>();
        if (LoadCertificate(builder.Configuration) is { } certificate) keys.ProtectKeysWithCertificate(certificate);
        builder.Services.AddHostedService<UnencryptedKeysWarning>();
        return builder;
    }

    /// <summary>
    /// The certificate of <c>DataProtection:Certificate</c>, or null when it is not set. A setting that cannot be used
    /// (no such file, the wrong password, no private key to read the ring back with) throws, naming the setting: start-up
    /// stops on it, and <c>casewire check</c> reports it.
    /// </summary>
    public static X509Certificate2? LoadCertificate(IConfiguration configuration)
    {
        if (configuration[CertificateKey] is not { Length: > 0 } path) return null;
        if (!File.Exists(path))
            throw new InvalidOperationException($"{CertificateKey} '{path}' does not exist; give the path of a PFX file, or leave it unset.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordKey]);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"{CertificateKey} '{path}' could not be read with {PasswordKey} ({e.Message.TrimEnd('.')}).", e);
        }
        if (certificate.HasPrivateKey) return certificate;
        certificate.Dispose();
        throw new InvalidOperationException($"{CertificateKey} '{path}' has no private key: the key ring could not be read back.");
    }

    /// <summary>Says at start-up, in Production, that the key ring is stored unencrypted and how to change it.</summary>
    sealed class UnencryptedKeysWarning(IHostEnvironment environment, IConfiguration configuration, ILogger<UnencryptedKeysWarning> logger)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (environment.IsProduction() && string.IsNullOrEmpty(configuration[CertificateKey]))
                logger.LogWarning(
                    "The Data Protection keys (staff sign-in, portal links) are stored in the database unencrypted. Set {Certificate} " +
                    "to a PFX file and {Password} to its password to encrypt them at rest (README \"Hosting several firms\").",
                    CertificateKey, PasswordKey);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
