using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Projects;
using Switchboard.Features.Users;

namespace Switchboard.Features.Templates;

public enum TemplateScope
{
    Personal,
    Project,
}

/// <summary>A canned response: text with variables, inserted into the composer by its short code.</summary>
public sealed class Template
{
    public const int MaxShortCodeLength = 32;
    public const int MaxTitleLength = 200;
    public const int MaxContentLength = 10_000;

    public int Id { get; set; }
    public TemplateScope Scope { get; set; }
    /// <summary>Set for a personal template only: its owner. Unique short codes are per owner, so the owner is a column.</summary>
    public int? OwnerId { get; set; }
    public User? Owner { get; set; }
    /// <summary>Set for a project template only.</summary>
    public int? ProjectId { get; set; }
    public Project? Project { get; set; }
    public required string ShortCode { get; set; }
    public required string Title { get; set; }
    public required string Content { get; set; }
    public int CreatedById { get; set; }
    public User CreatedBy { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class TemplateScopes
{
    public static string ToWire(this TemplateScope scope) => scope == TemplateScope.Project ? "project" : "personal";

    public static bool TryParse(string? value, out TemplateScope scope)
    {
        switch (value)
        {
            case "personal": scope = TemplateScope.Personal; return true;
            case "project": scope = TemplateScope.Project; return true;
            default: scope = default; return false;
        }
    }
}

internal sealed class TemplateConfiguration : IEntityTypeConfiguration<Template>
{
    public void Configure(EntityTypeBuilder<Template> b)
    {
        b.ToTable("templates");
        b.Property(t => t.Scope).HasConversion(s => s.ToWire(), s => s == "project" ? TemplateScope.Project : TemplateScope.Personal)
            .HasMaxLength(10);
        b.Property(t => t.ShortCode).HasMaxLength(Template.MaxShortCodeLength);
        b.Property(t => t.Title).HasMaxLength(Template.MaxTitleLength);
        b.Property(t => t.Content).HasMaxLength(Template.MaxContentLength);
        // NULLs are distinct in unique indexes on both databases: each index binds only its own scope.
        b.HasIndex(t => new { t.OwnerId, t.ShortCode }).IsUnique();
        b.HasIndex(t => new { t.ProjectId, t.ShortCode }).IsUnique();
        b.HasOne(t => t.Owner).WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(t => t.Project).WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(t => t.CreatedBy).WithMany().HasForeignKey(t => t.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}
