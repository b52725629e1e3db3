using Amazon.Runtime;
using Amazon.S3;
using Casewire.Documents;
using Casewire.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Documents;

/// <summary>The app storing documents in its own folder (the default provider).</summary>
public sealed class FileSystemStorageApp : CasewireApp
{
    internal IFileStore Store => Services.GetRequiredService<IFileStore>();
}

/// <summary>
/// The app storing documents in a bucket of the real S3-compatible server scripts/test.sh starts (scripts/s3.sh,
/// s3rver from npm, which checks request signatures), named by <c>CASEWIRE_TEST_S3</c>. Each app makes its own bucket.
/// </summary>
public sealed class S3StorageApp : CasewireApp
{
    /// <summary>s3rver's built-in credentials.</summary>
    public const string AccessKey = "S3RVER", SecretKey = "S3RVER";

    public static string ServiceUrl => Environment.GetEnvironmentVariable("CASEWIRE_TEST_S3") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException(
            "CASEWIRE_TEST_S3 is not set: the S3 storage tests need the S3-compatible server scripts/test.sh starts " +
            "(by hand: source scripts/s3.sh && s3_start && export CASEWIRE_TEST_S3; ... ; s3_stop).");

    public string Bucket { get; } = "cw-" + Guid.NewGuid().ToString("N")[..20];

    internal IFileStore Store => Services.GetRequiredService<IFileStore>();

    protected override async Task BeforeStartAsync()
    {
        using var client = NewClient();
        await client.PutBucketAsync(Bucket);
    }

    internal static AmazonS3Client NewClient() => new(new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Storage:Provider"] = "S3";
        settings["Storage:S3:ServiceUrl"] = ServiceUrl;
        settings["Storage:S3:Bucket"] = Bucket;
        settings["Storage:S3:AccessKey"] = AccessKey;
        settings["Storage:S3:SecretKey"] = SecretKey;
        settings["Storage:S3:Region"] = "us-east-1";
    }
}
