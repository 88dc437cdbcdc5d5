using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Users;

public sealed class User
{
    public int Id { get; set; }
    public required string Username { get; set; }
    /// <summary>Upper-invariant username: uniqueness and login are case-insensitive.</summary>
    public required string NormalizedUsername { get; set; }
    public required string Email { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public required string PasswordHash { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public bool ShareReadReceipts { get; set; } = true;
    public bool EmailNotifications { get; set; } = true;
    /// <summary>The re-encoded avatar in <see cref="Infrastructure.Storage.IFileStorage"/>; never shown to clients.</summary>
    public string? AvatarKey { get; set; }
    /// <summary>The unguessable id in the avatar's URL, new for every upload; null without an avatar.</summary>
    public string? AvatarId { get; set; }

    public static string Normalize(string username) => username.ToUpperInvariant();
}

public sealed record UserDto(int Id, string Username, string Email, string FirstName, string LastName, string DisplayName, string? AvatarUrl)
{
    public static UserDto From(User u) => new(u.Id, u.Username, u.Email, u.FirstName, u.LastName, DisplayNameOf(u), AvatarUrlOf(u.Id, u.AvatarId));

    public static string? AvatarUrlOf(int userId, string? avatarId) => avatarId is null ? null : $"/api/users/{userId}/avatar/{avatarId}";

    public static string DisplayNameOf(User u) => DisplayNameOf(u.FirstName, u.LastName, u.Username);

    public static string DisplayNameOf(string firstName, string lastName, string username)
    {
        var full = $"{firstName} {lastName}".Trim();
        return full.Length > 0 ? full : username;
    }
}

/// <summary>
/// The user columns a response shows, for queries that project rows instead of loading entities
/// (which would also read the password hash and every other column).
/// </summary>
public sealed record UserRow(int Id, string Username, string Email, string FirstName, string LastName, string? AvatarId)
{
    public UserDto ToDto() => new(Id, Username, Email, FirstName, LastName, UserDto.DisplayNameOf(FirstName, LastName, Username),
        UserDto.AvatarUrlOf(Id, AvatarId));
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.Property(u => u.Username).HasMaxLength(150);
        b.Property(u => u.NormalizedUsername).HasMaxLength(150);
        b.HasIndex(u => u.NormalizedUsername).IsUnique();
        b.Property(u => u.Email).HasMaxLength(254);
        b.Property(u => u.FirstName).HasMaxLength(150);
        b.Property(u => u.LastName).HasMaxLength(150);
        b.Property(u => u.PasswordHash).HasMaxLength(512);
        b.Property(u => u.ShareReadReceipts).HasDefaultValue(true);
        b.Property(u => u.EmailNotifications).HasDefaultValue(true);
        b.Property(u => u.AvatarKey).HasMaxLength(64);
        b.Property(u => u.AvatarId).HasMaxLength(64);
    }
}
