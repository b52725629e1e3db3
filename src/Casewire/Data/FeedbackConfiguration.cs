using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Casewire.Data;

sealed class LocalizedTextConfiguration : IEntityTypeConfiguration<LocalizedText>
{
    public void Configure(EntityTypeBuilder<LocalizedText> e)
    {
        e.Property(x => x.Key).HasMaxLength(100);
        e.Property(x => x.Language).HasMaxLength(Limits.Language);
        e.Property(x => x.Text).HasMaxLength(Limits.MessageText);
        e.HasIndex(x => new { x.CompanyId, x.Key, x.Language }).IsUnique();
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
    }
}

sealed class SurveyConfiguration : IEntityTypeConfiguration<Survey>
{
    public void Configure(EntityTypeBuilder<Survey> e)
    {
        e.Property(x => x.Trigger).HasMaxLength(Limits.Name + 6);
        e.Property(x => x.Comment).HasMaxLength(Survey.MaxComment);
        e.Property(x => x.AnsweredVia).HasMaxLength(10);
        e.Property(x => x.HandledBy).HasMaxLength(Limits.Name);
        // The open survey of a client, the spacing check, and the cursor list of answers.
        e.HasIndex(x => new { x.CompanyId, x.ContactId, x.SentAt });
        e.HasIndex(x => new { x.CompanyId, x.AnsweredAt });
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne(x => x.Project).WithMany().HasForeignKey(x => x.ProjectId);
        e.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId);
        e.HasOne(x => x.Message).WithMany().HasForeignKey(x => x.MessageId);
    }
}
