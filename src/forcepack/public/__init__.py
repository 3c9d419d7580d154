"""The public pack: any force's performance from data.police.uk files alone, beside its peers.

``reference`` holds the forces of England and Wales (names, data.police.uk ids, resident
population) and the local authority -> force lookup; ``coverage`` says which force-months are
loaded and how much of each is located; ``peers`` picks the comparison forces; ``tables`` and
``pack`` build the pack's figures, ``charts`` and ``render`` write them as HTML, PDF and CSV.
See docs/public.md.
"""
