using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Casewire.Data;

// One configuration per entity. Tenancy rule (DESIGN.md): every partner key is unique per company.

sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> e)
    {
        e.Property(x => x.Slug).HasMaxLength(Limits.Slug);
        e.HasIndex(x => x.Slug).IsUnique();
        e.Property(x => x.Name).HasMaxLength(Limits.Name);
        e.Property(x => x.TimeZone).HasMaxLength(64);
        e.Property(x => x.DefaultRegion).HasMaxLength(2);
        e.Property(x => x.SenderNumber).HasMaxLength(Limits.Phone);
        // SPEC §9, §11: a company's own number is its alone (NULL, the shared Twilio:From, is not a claim).
        e.HasIndex(x => x.SenderNumber).IsUnique();
        e.Property(x => x.HelpText).HasMaxLength(Limits.MessageText);
        e.Property(x => x.PortalBaseUrl).HasMaxLength(Limits.Url);
        e.Property(x => x.Language).HasMaxLength(Limits.Language).HasDefaultValue("en");
        e.Property(x => x.ReviewUrl).HasMaxLength(Limits.Url);
    }
}

sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> e)
    {
        e.Property(x => x.Name).HasMaxLength(Limits.Name);
        e.Property(x => x.Prefix).HasMaxLength(16);
        e.Property(x => x.Hash).HasMaxLength(64);
        e.HasIndex(x => x.Hash).IsUnique();
        e.HasIndex(x => new { x.CompanyId, x.Prefix });
        e.HasOne(x => x.Company).WithMany().HasForeignKey(x => x.CompanyId);
    }
}

sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> e)
    {
        e.Property(x => x.ExternalId).HasMaxLength(Limits.ExternalId);
        e.HasIndex(x => new { x.CompanyId, x.ExternalId }).IsUnique();
        e.Property(x => x.FirstName).HasMaxLength(Limits.PersonName);
        e.Property(x => x.LastName).HasMaxLength(Limits.PersonName);
        e.Property(x => x.Email).HasMaxLength(Limits.Email);
        e.Property(x => x.Phone).HasMaxLength(Limits.Phone);
        e.Property(x => x.Language).HasMaxLength(Limits.Language);
        // Inbound SMS and calendar attendees are resolved by phone or email within a company.
        e.HasIndex(x => new { x.CompanyId, x.Phone });
        e.HasIndex(x => new { x.CompanyId, x.Email });
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.Ignore(x => x.EffectiveNotificationPreference);
    }
}

sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> e)
    {
        e.Property(x => x.ExternalId).HasMaxLength(Limits.ExternalId);
        e.HasIndex(x => new { x.CompanyId, x.ExternalId }).IsUnique();
        e.HasIndex(x => new { x.CompanyId, x.Email });
        e.Property(x => x.FirstName).HasMaxLength(Limits.PersonName);
        e.Property(x => x.LastName).HasMaxLength(Limits.PersonName);
        e.Property(x => x.Email).HasMaxLength(Limits.Email);
        e.Property(x => x.Phone).HasMaxLength(Limits.Phone);
        e.Property(x => x.Title).HasMaxLength(Limits.Name);
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
    }
}

sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> e)
    {
        e.Property(x => x.ExternalId).HasMaxLength(Limits.ExternalId);
        e.HasIndex(x => new { x.CompanyId, x.ExternalId }).IsUnique();
        e.Property(x => x.Name).HasMaxLength(Limits.Name);
        e.Property(x => x.PartnerPhaseName).HasMaxLength(Limits.Name);
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne(x => x.ProjectType).WithMany().HasForeignKey(x => x.ProjectTypeId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Phase).WithMany().HasForeignKey(x => x.PhaseId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Clients).WithOne().HasForeignKey(x => x.ProjectId);
    }
}

sealed class ProjectClientConfiguration : IEntityTypeConfiguration<ProjectClient>
{
    public void Configure(EntityTypeBuilder<ProjectClient> e)
    {
        e.HasKey(x => new { x.ProjectId, x.ContactId });
        e.HasIndex(x => x.ContactId);
        e.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ProjectTypeConfiguration : IEntityTypeConfiguration<ProjectType>
{
    public void Configure(EntityTypeBuilder<ProjectType> e)
    {
        e.Property(x => x.Name).HasMaxLength(Limits.Name);
        e.Property(x => x.NormalizedName).HasMaxLength(Limits.Name);
        e.HasIndex(x => new { x.CompanyId, x.NormalizedName }).IsUnique();
        e.Property(x => x.WelcomeTemplate).HasMaxLength(Limits.MessageText);
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasMany(x => x.Phases).WithOne().HasForeignKey(x => x.ProjectTypeId);
    }
}

sealed class PhaseConfiguration : IEntityTypeConfiguration<Phase>
{
    public void Configure(EntityTypeBuilder<Phase> e)
    {
        e.Property(x => x.Name).HasMaxLength(Limits.Name);
        // Two concurrent requests that both learn a phase cannot both take the same step.
        e.HasIndex(x => new { x.ProjectTypeId, x.Step }).IsUnique();
        e.Property(x => x.MessageTemplate).HasMaxLength(Limits.MessageText);
        e.HasMany(x => x.Triggers).WithOne().HasForeignKey(x => x.PhaseId);
        e.HasMany(x => x.Drips).WithOne().HasForeignKey(x => x.PhaseId);
    }
}

sealed class PhaseDripConfiguration : IEntityTypeConfiguration<PhaseDrip>
{
    public void Configure(EntityTypeBuilder<PhaseDrip> e)
    {
        e.Property(x => x.Template).HasMaxLength(Limits.MessageText);
        e.Ignore(x => x.Times);
    }
}

sealed class PhaseTriggerConfiguration : IEntityTypeConfiguration<PhaseTrigger>
{
    public void Configure(EntityTypeBuilder<PhaseTrigger> e)
    {
        e.Property(x => x.Name).HasMaxLength(Limits.Name);
        e.Property(x => x.NormalizedName).HasMaxLength(Limits.Name);
        e.HasIndex(x => new { x.ProjectTypeId, x.NormalizedName }).IsUnique();
        e.HasOne<ProjectType>().WithMany().HasForeignKey(x => x.ProjectTypeId).OnDelete(DeleteBehavior.NoAction);
    }
}

sealed class UnmappedPhaseNameConfiguration : IEntityTypeConfiguration<UnmappedPhaseName>
{
    public void Configure(EntityTypeBuilder<UnmappedPhaseName> e)
    {
        e.Property(x => x.Name).HasMaxLength(Limits.Name);
        e.Property(x => x.NormalizedName).HasMaxLength(Limits.Name);
        e.HasIndex(x => new { x.ProjectTypeId, x.NormalizedName }).IsUnique();
        e.HasOne<ProjectType>().WithMany().HasForeignKey(x => x.ProjectTypeId);
    }
}

sealed class PhaseChangeConfiguration : IEntityTypeConfiguration<PhaseChange>
{
    public void Configure(EntityTypeBuilder<PhaseChange> e)
    {
        e.HasIndex(x => new { x.ProjectId, x.Id });
        e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId);
        e.HasOne<Phase>().WithMany().HasForeignKey(x => x.FromPhaseId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Phase>().WithMany().HasForeignKey(x => x.ToPhaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> e)
    {
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne<TeamMember>().WithMany().HasForeignKey(x => x.TeamMemberId).OnDelete(DeleteBehavior.SetNull);
        e.Property(x => x.DisplayName).HasMaxLength(Limits.Name);
    }
}

sealed class PortalShortLinkConfiguration : IEntityTypeConfiguration<PortalShortLink>
{
    public void Configure(EntityTypeBuilder<PortalShortLink> e)
    {
        e.Property(x => x.CodeHash).HasMaxLength(32);
        e.HasIndex(x => x.CodeHash).IsUnique();
        e.HasIndex(x => x.ExpiresAt);
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> e)
    {
        e.Property(x => x.Title).HasMaxLength(Limits.Name);
        e.Property(x => x.FileName).HasMaxLength(Limits.Name);
        e.Property(x => x.ContentType).HasMaxLength(100);
        e.Property(x => x.StorageKey).HasMaxLength(200);
        // The orphan sweeper asks, key by key, whether a stored file has its row.
        e.HasIndex(x => x.StorageKey).IsUnique();
        e.Property(x => x.UploadedByName).HasMaxLength(Limits.Name);
        e.Property(x => x.Source).HasConversion<string>().HasMaxLength(10);
        e.HasIndex(x => new { x.CompanyId, x.ProjectId, x.Id });
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId);
        e.HasOne<Message>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Downloads).WithOne().HasForeignKey(x => x.DocumentId);
    }
}

sealed class DocumentDownloadConfiguration : IEntityTypeConfiguration<DocumentDownload>
{
    public void Configure(EntityTypeBuilder<DocumentDownload> e)
    {
        e.Property(x => x.ByKind).HasMaxLength(10);
        e.Property(x => x.ByName).HasMaxLength(Limits.Name);
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
    }
}
