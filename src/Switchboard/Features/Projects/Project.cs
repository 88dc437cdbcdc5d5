using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Users;

namespace Switchboard.Features.Projects;

public sealed class Project
{
    public int Id { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public int CreatedById { get; set; }
    public User CreatedBy { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>The last ticket number handed out; bumped in the ticket's own transaction so numbers never repeat or skip.</summary>
    public int LastTicketNumber { get; set; }
    public List<ProjectMember> Members { get; set; } = [];
}

/// <summary>Ordered by power: comparisons like <c>role &gt;= ProjectRole.Admin</c> read as permissions.</summary>
public enum ProjectRole
{
    Viewer = 0,
    Member = 1,
    Admin = 2,
    Owner = 3,
}

public sealed class ProjectMember
{
    public int ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public ProjectRole Role { get; set; }
    public DateTime JoinedAt { get; set; }
}

public static class ProjectRoles
{
    public static string ToWire(this ProjectRole role) => role switch
    {
        ProjectRole.Owner => "owner",
        ProjectRole.Admin => "admin",
        ProjectRole.Member => "member",
        _ => "viewer",
    };

    public static bool TryParse(string? value, out ProjectRole role)
    {
        switch (value)
        {
            case "owner": role = ProjectRole.Owner; return true;
            case "admin": role = ProjectRole.Admin; return true;
            case "member": role = ProjectRole.Member; return true;
            case "viewer": role = ProjectRole.Viewer; return true;
            default: role = default; return false;
        }
    }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.ToTable("projects");
        b.Property(p => p.Key).HasMaxLength(10);
        b.HasIndex(p => p.Key).IsUnique();
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Description).HasMaxLength(10_000);
        b.HasOne(p => p.CreatedBy).WithMany().HasForeignKey(p => p.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProjectMemberConfiguration : IEntityTypeConfiguration<ProjectMember>
{
    public void Configure(EntityTypeBuilder<ProjectMember> b)
    {
        b.ToTable("project_members");
        b.HasKey(m => new { m.ProjectId, m.UserId });
        b.HasIndex(m => m.UserId);
        b.Property(m => m.Role).HasConversion(r => r.ToWire(), s => Parse(s)).HasMaxLength(10);
        b.HasOne(m => m.Project).WithMany(p => p.Members).HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    // Internal, not private: the compiled model (Data/CompiledModels) calls it.
    internal static ProjectRole Parse(string s) => ProjectRoles.TryParse(s, out var role) ? role : ProjectRole.Viewer;
}
