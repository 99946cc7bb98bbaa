public enum VaultModule {}
