using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Switchboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RichMessagesPinsTemplatesProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AvatarId",
                table: "users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AvatarKey",
                table: "users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "EmailNotifications",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "ShareReadReceipts",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PinnedAt",
                table: "chat_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PinnedById",
                table: "chat_messages",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "chat_message_versions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<int>(type: "integer", nullable: false),
                    Content = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    EditedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chat_message_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_chat_message_versions_chat_messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "chat_messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "templates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Scope = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    OwnerId = table.Column<int>(type: "integer", nullable: true),
                    ProjectId = table.Column<int>(type: "integer", nullable: true),
                    ShortCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Content = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    CreatedById = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_templates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_templates_projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_templates_users_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_templates_users_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_chat_messages_PinnedById",
                table: "chat_messages",
                column: "PinnedById");

            migrationBuilder.CreateIndex(
                name: "IX_chat_messages_RoomId_PinnedAt",
                table: "chat_messages",
                columns: new[] { "RoomId", "PinnedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_chat_message_versions_MessageId_Id",
                table: "chat_message_versions",
                columns: new[] { "MessageId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_templates_CreatedById",
                table: "templates",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_templates_OwnerId_ShortCode",
                table: "templates",
                columns: new[] { "OwnerId", "ShortCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_templates_ProjectId_ShortCode",
                table: "templates",
                columns: new[] { "ProjectId", "ShortCode" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_chat_messages_users_PinnedById",
                table: "chat_messages",
                column: "PinnedById",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_chat_messages_users_PinnedById",
                table: "chat_messages");

            migrationBuilder.DropTable(
                name: "chat_message_versions");

            migrationBuilder.DropTable(
                name: "templates");

            migrationBuilder.DropIndex(
                name: "IX_chat_messages_PinnedById",
                table: "chat_messages");

            migrationBuilder.DropIndex(
                name: "IX_chat_messages_RoomId_PinnedAt",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "AvatarId",
                table: "users");

            migrationBuilder.DropColumn(
                name: "AvatarKey",
                table: "users");

            migrationBuilder.DropColumn(
                name: "EmailNotifications",
                table: "users");

            migrationBuilder.DropColumn(
                name: "ShareReadReceipts",
                table: "users");

            migrationBuilder.DropColumn(
                name: "PinnedAt",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "PinnedById",
                table: "chat_messages");
        }
    }
}
