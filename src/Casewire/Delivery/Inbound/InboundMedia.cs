using Casewire.Delivery.Sms;
using Casewire.Documents;
using Casewire.Model;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery.Inbound;

/// <summary>
/// The pictures of an inbound MMS (SPEC §14): Twilio's <c>NumMedia</c> and <c>MediaUrl{N}</c>, each fetched with the
/// account's credentials (basic auth) and stored as a document of the sender's open project, beside the text's reply.
/// Only URLs under Twilio's own API (<c>Twilio:BaseUrl</c>) are fetched, so the credentials never go elsewhere; a
/// medium that cannot be fetched, is too large or is not an accepted type is logged and skipped, and the text is still
/// stored. Files are staged: they go again if the reply does not commit.
/// </summary>
sealed class InboundMedia(IHttpClientFactory http, IOptions<TwilioOptions> twilio, IncomingFiles incoming, DocumentFiles files,
    ILogger<InboundMedia> logger)
{
    public const string ClientName = "twilio-media";
    /// <summary>Twilio sends at most 10 media per message.</summary>
    const int MaxMedia = 10;

    /// <summary>One stored picture, waiting for its reply's id.</summary>
    public sealed record Stored(string Key, AcceptedFile File);

    /// <summary>Fetches and stores the message's media; the caller adds the rows (<see cref="Rows"/>) and keeps or drops the files.</summary>
    public async Task<(StagedFiles Staged, List<Stored> Media)> StageAsync(IFormCollection form, int companyId, string sid, CancellationToken ct)
    {
        var staged = files.Stage();
        var media = new List<Stored>();
        if (!int.TryParse(form["NumMedia"], out var count) || count <= 0) return (staged, media);
        var options = twilio.Value;
        if (!options.CanAuthenticate)
        {
            logger.LogWarning("Inbound text {Sid} has {Count} media, but Twilio credentials are not configured to fetch them; skipped", sid, count);
            return (staged, media);
        }
        var client = http.CreateClient(ClientName);
        for (var n = 0; n < Math.Min(count, MaxMedia); n++)
        {
            var url = form[$"MediaUrl{n}"].ToString();
            if (!IsTwilios(url, options.BaseUrl))
            {
                logger.LogWarning("Inbound text {Sid}: MediaUrl{N} is not under Twilio:BaseUrl; not fetched", sid, n);
                continue;
            }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = options.Credentials;
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("Inbound text {Sid}: MediaUrl{N} answered {Status}; skipped", sid, n, (int)response.StatusCode);
                    continue;
                }
                if (response.Content.Headers.ContentLength > incoming.MaxBytes)
                {
                    logger.LogWarning("Inbound text {Sid}: MediaUrl{N} has {Bytes} bytes, over Storage:MaxFileBytes; skipped", sid, n,
                        response.Content.Headers.ContentLength);
                    continue;
                }
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                var buffered = await incoming.BufferAsync(body, ct);
                if (buffered is null)
                {
                    logger.LogWarning("Inbound text {Sid}: MediaUrl{N} is over Storage:MaxFileBytes; skipped", sid, n);
                    continue;
                }
                await using (buffered)
                {
                    var (accepted, refusal) = incoming.Check(buffered, buffered.Length, $"MMS {sid[..Math.Min(sid.Length, 12)]} {n + 1}");
                    if (refusal is not null)
                    {
                        logger.LogWarning("Inbound text {Sid}: MediaUrl{N} refused ({Reason}); skipped", sid, n, refusal.Title);
                        continue;
                    }
                    var key = await staged.PutAsync(companyId, accepted!, ct);
                    media.Add(new Stored(key, accepted! with { Content = Stream.Null }));
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Inbound text {Sid}: MediaUrl{N} could not be fetched; skipped", sid, n);
            }
        }
        return (staged, media);
    }

    /// <summary>The documents of the stored media, as replies of <paramref name="reply"/> (saved, so it has its id).</summary>
    public static IEnumerable<Document> Rows(IReadOnlyList<Stored> media, Message reply, int projectId) => media.Select((m, i) => new Document
    {
        CompanyId = reply.CompanyId, ProjectId = projectId, Source = DocumentSource.Client,
        Title = media.Count == 1 ? "Picture sent by text" : $"Picture {i + 1} sent by text",
        FileName = m.File.FileName, ContentType = m.File.Type.ContentType, Size = m.File.Size, StorageKey = m.Key,
        UploadedByContactId = reply.AuthorContactId, UploadedByName = reply.AuthorName, MessageId = reply.Id, CreatedAt = reply.CreatedAt,
    });

    static bool IsTwilios(string url, string baseUrl) =>
        Uri.TryCreate(url, UriKind.Absolute, out var media) && Uri.TryCreate(baseUrl, UriKind.Absolute, out var twilio)
        && media.Scheme == twilio.Scheme && string.Equals(media.Authority, twilio.Authority, StringComparison.OrdinalIgnoreCase)
        && media.AbsolutePath.StartsWith("/2010-04-01/Accounts/", StringComparison.Ordinal);
}
