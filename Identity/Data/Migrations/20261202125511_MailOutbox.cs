using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class MailOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MailMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Recipient = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    EncryptedToken = table.Column<byte[]>(type: "bytea", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailMessages", x => x.Id);
                });

            // Reset tokens and addresses written by earlier versions leave the event outbox; the stand-in rows go.
            migrationBuilder.Sql("""
                DELETE FROM "OutboxMessages" WHERE "Type" = 'PasswordResetRequested' AND coalesce("Payload"->>'Email', '') = '';
                UPDATE "OutboxMessages" SET "Payload" = "Payload" - 'ResetToken' - 'Email' WHERE "Type" = 'PasswordResetRequested';
                """);

            migrationBuilder.CreateIndex(
                name: "IX_MailMessages_CreatedAt",
                table: "MailMessages",
                column: "CreatedAt",
                filter: "\"EncryptedToken\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MailMessages");
        }
    }
}
