using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PetitionerIdentityTail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitioners_IdentityKey",
                table: "Petitioners");

            migrationBuilder.AddColumn<string>(
                name: "IdentityTail",
                table: "Petitioners",
                type: "nvarchar(450)",
                nullable: true,
                computedColumnSql: "RIGHT(\"IdentityKey\", 11)",
                stored: false);

            migrationBuilder.CreateIndex(
                name: "IX_Petitioners_IdentityTail",
                table: "Petitioners",
                column: "IdentityTail");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitioners_IdentityTail",
                table: "Petitioners");

            migrationBuilder.DropColumn(
                name: "IdentityTail",
                table: "Petitioners");

            migrationBuilder.CreateIndex(
                name: "IX_Petitioners_IdentityKey",
                table: "Petitioners",
                column: "IdentityKey");
        }
    }
}
