namespace Casewire.Model;

/// <summary>
/// A file of a project (SPEC §14): shared by the firm (project page or Partner API) or sent by a client (portal
/// or MMS). The row holds the metadata; the bytes live in the file store under <see cref="StorageKey"/>.
/// </summary>
sealed class Document : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public int ProjectId { get; set; }
    public DocumentSource Source { get; set; }
    public required string Title { get; set; }
    /// <summary>The sanitized file name a download is offered as.</summary>
    public required string FileName { get; set; }
    /// <summary>Decided by the file's content, never by its name or the uploader's claim.</summary>
    public required string ContentType { get; set; }
    public long Size { get; set; }
    /// <summary>Where the bytes are in the file store (Documents/StorageKeys): unique, never derived from the uploader's name.</summary>
    public required string StorageKey { get; set; }
    /// <summary>The Company App user who attached it; null when the CMS did, or a client sent it.</summary>
    public int? UploadedByStaffUserId { get; set; }
    /// <summary>The client who sent it (portal or MMS).</summary>
    public int? UploadedByContactId { get; set; }
    /// <summary>Who it came from at the time: a staff member's name, "CRM", or the client's name.</summary>
    public required string UploadedByName { get; set; }
    /// <summary>A client's document arrives as a reply of the conversation (portal "Send a document", or an MMS).</summary>
    public int? MessageId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public List<DocumentDownload> Downloads { get; set; } = [];
}

enum DocumentSource
{
    /// <summary>Shared with the clients by the firm.</summary>
    Firm,
    /// <summary>Sent to the firm by a client.</summary>
    Client,
}

/// <summary>One download of a document, who and when (SPEC §14): the project page lists them.</summary>
sealed class DocumentDownload : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public int DocumentId { get; set; }
    /// <summary>staff, client or api.</summary>
    public required string ByKind { get; set; }
    public required string ByName { get; set; }
    public int? StaffUserId { get; set; }
    public int? ContactId { get; set; }
    public int? ApiTokenId { get; set; }
    public DateTimeOffset At { get; set; }
}
