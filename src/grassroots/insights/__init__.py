"""Creator-authorised insights: figures a creator shares from their own account, by OAuth."""
