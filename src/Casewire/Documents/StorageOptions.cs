using Microsoft.Extensions.Options;

namespace Casewire.Documents;

/// <summary>Where documents' bytes are kept and what is accepted (configuration section <c>Storage</c>, SPEC §14).</summary>
sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.FileSystem;
    /// <summary>The file system store's folder; unset, <c>files</c> beside the SQLite database, else <c>data/files</c>.</summary>
    public string? Path { get; set; }
    /// <summary>The largest file accepted (SPEC §14: 25 MiB); a larger one is a 413.</summary>
    public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;
    /// <summary>
    /// A stored file without its row is removed once it is this old. Longer than any upload takes between
    /// writing its file and committing its row, so a file whose row is still on its way is never taken.
    /// </summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How often the orphan sweeper looks.</summary>
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromHours(1);
    public S3StorageOptions S3 { get; set; } = new();
}

enum StorageProvider
{
    FileSystem,
    S3,
}

/// <summary>Any S3-compatible service (AWS, MinIO, Ceph, R2…), addressed path-style.</summary>
sealed class S3StorageOptions
{
    /// <summary>The service's address, e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000.</summary>
    public string? ServiceUrl { get; set; }
    public string? Bucket { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    /// <summary>The signing region; self-hosted services accept us-east-1.</summary>
    public string Region { get; set; } = "us-east-1";
}

/// <summary>Every problem with the <c>Storage</c> section at once, each naming its key and what is accepted.</summary>
sealed class StorageOptionsValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(o.Provider)) errors.Add("Storage:Provider must be FileSystem (the default) or S3.");
        if (o.MaxFileBytes <= 0) errors.Add("Storage:MaxFileBytes must be positive, e.g. 26214400 (25 MiB).");
        if (o.OrphanGrace <= TimeSpan.Zero) errors.Add("Storage:OrphanGrace must be positive, e.g. 01:00:00.");
        if (o.SweepEvery <= TimeSpan.Zero) errors.Add("Storage:SweepEvery must be positive, e.g. 01:00:00.");
        if (o.Provider == StorageProvider.S3)
        {
            if (!Uri.TryCreate(o.S3.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                errors.Add("Storage:S3:ServiceUrl must be the service's http(s) address, e.g. https://s3.us-east-1.amazonaws.com.");
            if (string.IsNullOrWhiteSpace(o.S3.Bucket)) errors.Add("Storage:S3:Bucket must name an existing bucket.");
            if (string.IsNullOrWhiteSpace(o.S3.AccessKey) || string.IsNullOrWhiteSpace(o.S3.SecretKey))
                errors.Add("Storage:S3:AccessKey and Storage:S3:SecretKey must both be set.");
            if (string.IsNullOrWhiteSpace(o.S3.Region)) errors.Add("Storage:S3:Region must be set, e.g. us-east-1.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
