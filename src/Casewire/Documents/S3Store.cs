using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Casewire.Documents;

/// <summary>
/// Documents in a bucket of any S3-compatible service, through the AWS SDK for .NET. Path-style addressing
/// (<c>{ServiceUrl}/{bucket}/{key}</c>) so self-hosted services need no wildcard DNS; checksums only where the
/// service requires them, since not every S3-compatible service reads the SDK's trailing checksums.
/// </summary>
sealed class S3Store : IFileStore, IDisposable
{
    readonly AmazonS3Client _client;
    readonly string _bucket;

    public S3Store(S3StorageOptions options)
    {
        _bucket = options.Bucket!;
        _client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = key, InputStream = content, ContentType = contentType,
            AutoCloseStream = false, UseChunkEncoding = false,
        }, ct);

    public async Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        try
        {
            var response = await _client.GetObjectAsync(_bucket, key, ct);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct) =>
        await _client.DeleteObjectAsync(_bucket, key, ct);

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, ct);
            foreach (var item in page.S3Objects ?? []) yield return item.Key;
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public void Dispose() => _client.Dispose();
}
